using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Features.Messages;

public sealed class SendMessageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task SendingATemplateQueuesTheRenderedMessageAndItsEventTogether()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550140", firstName: "Ada");
        var template = await tenant.CreateTemplateAsync("Hi {{first_name}}, code {{code}}");

        var response = await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, template_id = template, variables = new { code = "42" } });
        var message = await response.ReadJsonAsync(HttpStatusCode.Accepted);
        var id = message.GetProperty("id").GetGuid();

        Assert.Equal($"/messages/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("queued", message.GetProperty("status").GetString());
        Assert.Equal("Hi Ada, code 42", message.GetProperty("body").GetString());
        Assert.Equal("+14155550140", message.GetProperty("to").GetString());
        Assert.Equal("manual", message.GetProperty("source").GetString());
        Assert.Equal(1, message.GetProperty("segments").GetInt32());
        Assert.Equal("queued", await api.Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", id));
        var body = await api.Database.ScalarAsync<string>(
            "SELECT body FROM outbox_messages WHERE message_type = 'SmsRemarketing.Contracts.SendSmsRequested' AND body::jsonb ->> 'messageId' = $1", id.ToString());
        using var published = JsonDocument.Parse(body!);
        Assert.Equal(tenant.Id, published.RootElement.GetProperty("clientId").GetGuid());
    }

    [Fact]
    public async Task AMessageCanBeReadBackWithItsDeliveryFields()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550141");
        var id = (await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hello" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();

        var message = await (await tenant.Http.GetAsync($"/messages/{id}")).ReadJsonAsync(HttpStatusCode.OK);

        foreach (var field in new[] { "id", "status", "to", "body", "twilio_sid", "error_code", "error_message", "segments", "created_at", "lead_id" })
        {
            Assert.True(message.TryGetProperty(field, out _), $"missing {field}");
        }

        Assert.Equal(JsonValueKind.Null, message.GetProperty("twilio_sid").ValueKind);
    }

    [Theory]
    [InlineData("Plain GSM text", "gsm7", 1)]
    [InlineData("Ünïcödé ✓ with emoji 🎉", "ucs2", 1)]
    public async Task UnicodeAndEmojiBodiesAreStoredFaithfullyWithTheirSegments(string body, string _, int segments)
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550142");

        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body })).ReadJsonAsync(HttpStatusCode.Accepted);
        var id = message.GetProperty("id").GetGuid();

        Assert.Equal(body, await api.Database.ScalarAsync<string>("SELECT body FROM messages WHERE id = $1", id));
        Assert.Equal(segments, message.GetProperty("segments").GetInt32());
    }

    [Fact]
    public async Task ALongEmojiBodyCountsUcs2Segments()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550143");

        // 40 emoji = 80 UTF-16 code units: over 70, so 67 per part with no pair split → 2 segments.
        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = string.Concat(Enumerable.Repeat("😀", 40)) }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(2, message.GetProperty("segments").GetInt32());
    }

    [Fact]
    public async Task AMissingVariableFailsTheSendAndQueuesNothing()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550144", firstName: null);
        var template = await tenant.CreateTemplateAsync("Hi {{first_name}}, {{code}}");

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, template_id = template, variables = new { unknown = "x" } }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["first_name", "code"], problem.GetProperty("missing_variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'clientId' = $1", tenant.Id.ToString()));
    }

    [Fact]
    public async Task AClientWithoutCreditCannotSend()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var lead = await tenant.CreateLeadAsync("+14155550145");

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadProblemAsync(HttpStatusCode.PaymentRequired);

        Assert.Equal("no_credit", problem.GetProperty("reason").GetString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ASendToAnOptedOutLeadIsRecordedAsSuppressedWithNoEventAndNoCredit()
    {
        using var tenant = await api.CreateTenantAsync(credits: 3);
        var lead = await tenant.CreateLeadAsync("+14155550146");
        await api.Database.OptOutLeadAsync(lead);

        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);

        var id = message.GetProperty("id").GetGuid();
        Assert.Equal("suppressed", message.GetProperty("status").GetString());
        Assert.Contains("opted out", message.GetProperty("error_message").GetString(), StringComparison.Ordinal);
        Assert.Equal("suppressed", await api.Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE body::jsonb ->> 'messageId' = $1", id.ToString()));
        Assert.Equal(3L, await api.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", tenant.Id));
    }

    [Fact]
    public async Task ASendToAnOptedOutLeadIsRecordedEvenWithoutCredit()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var lead = await tenant.CreateLeadAsync("+14155550147");
        await api.Database.OptOutLeadAsync(lead);

        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("suppressed", message.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("{\"body\": \"Hi\"}", "lead_id")]
    [InlineData("{\"lead_id\": \"00000000-0000-0000-0000-000000000001\"}", "body")]
    [InlineData("{\"lead_id\": \"00000000-0000-0000-0000-000000000001\", \"body\": \"Hi\", \"template_id\": \"00000000-0000-0000-0000-000000000002\"}", "template_id")]
    [InlineData("{\"lead_id\": \"00000000-0000-0000-0000-000000000001\", \"body\": \"Hi\", \"variables\": {\"bad name\": \"x\"}}", "variables.bad name")]
    public async Task AnInvalidSendIsAValidationProblem(string json, string field)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsync("/messages/send", HttpAssertions.Json(json))).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task ABodyOverTheSmsLimitIsRefused()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550147");

        await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = new string('a', 1601) })).ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnotherTenantsLeadTemplateAndMessageAreNotFound()
    {
        using var owner = await api.CreateTenantAsync();
        using var intruder = await api.CreateTenantAsync();
        var lead = await owner.CreateLeadAsync("+14155550148");
        var template = await owner.CreateTemplateAsync("Hello");
        var message = (await (await owner.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();
        var ownLead = await intruder.CreateLeadAsync("+14155550149");

        await (await intruder.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PostAsJsonAsync("/messages/send", new { lead_id = ownLead, template_id = template })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.GetAsync($"/messages/{message}")).ReadProblemAsync(HttpStatusCode.NotFound);
        var list = await (await intruder.Http.GetAsync("/messages")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", intruder.Id));
    }

    [Fact]
    public async Task ListingFiltersByStatusLeadAndDateAndPages()
    {
        using var tenant = await api.CreateTenantAsync();
        var first = await tenant.CreateLeadAsync("+14155550150");
        var second = await tenant.CreateLeadAsync("+14155550151");
        for (var i = 0; i < 3; i++)
        {
            await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = first, body = $"m{i}" })).ReadJsonAsync(HttpStatusCode.Accepted);
        }

        var other = (await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = second, body = "other" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();
        await api.Database.ExecuteAsync("UPDATE messages SET status = 'sent' WHERE id = $1", other);

        var byLead = await (await tenant.Http.GetAsync($"/messages?lead_id={first}&limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var rest = await (await tenant.Http.GetAsync($"/messages?lead_id={first}&limit=2&cursor={byLead.GetProperty("next_cursor").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);
        var sent = await (await tenant.Http.GetAsync("/messages?status=sent")).ReadJsonAsync(HttpStatusCode.OK);
        var future = await (await tenant.Http.GetAsync($"/messages?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}")).ReadJsonAsync(HttpStatusCode.OK);
        var badStatus = await (await tenant.Http.GetAsync("/messages?status=teleported")).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(2, byLead.GetProperty("data").GetArrayLength());
        Assert.Equal(1, rest.GetProperty("data").GetArrayLength());
        Assert.Equal(other, Assert.Single(sent.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Empty(future.GetProperty("data").EnumerateArray());
        Assert.True(badStatus.GetProperty("errors").TryGetProperty("status", out _));
    }
}
