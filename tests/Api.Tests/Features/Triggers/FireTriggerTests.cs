using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Triggers;

public sealed class FireTriggerTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task FiringForALeadByIdQueuesTheTemplateWithMergedVariables()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550180", firstName: "Ada");
        var trigger = await CreateWebhookAsync(tenant, "Hi {{first_name}}, your table for {{party}} is ready");

        var message = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead, variables = new { party = "4" } }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("Hi Ada, your table for 4 is ready", message.GetProperty("body").GetString());
        Assert.Equal("webhook", message.GetProperty("source").GetString());
        Assert.Equal(trigger, message.GetProperty("trigger_id").GetGuid());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1",
            message.GetProperty("id").GetGuid().ToString()));
    }

    [Fact]
    public async Task FiringByPhoneCanCreateTheLeadInTheSameCommit()
    {
        using var tenant = await api.CreateTenantAsync();
        var trigger = await CreateWebhookAsync(tenant, "Welcome {{first_name|friend}}");

        var missing = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { phone = "+1 415 555 0181" })).ReadProblemAsync(HttpStatusCode.NotFound);
        var message = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire",
            new { phone = "+1 415 555 0181", create_lead = true, lead = new { first_name = "Grace" } })).ReadJsonAsync(HttpStatusCode.Accepted);
        var again = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { phone = "+14155550181", create_lead = true }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Contains("lead", missing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Welcome Grace", message.GetProperty("body").GetString());
        Assert.Equal(message.GetProperty("lead_id").GetGuid(), again.GetProperty("lead_id").GetGuid());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%LeadCreated' AND body::jsonb ->> 'clientId' = $1", tenant.Id.ToString()));
    }

    [Fact]
    public async Task FiringForAnOptedOutLeadRecordsASuppressedMessageOnce()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550184");
        await api.Database.OptOutLeadAsync(lead);
        var trigger = await CreateWebhookAsync(tenant, "Your order shipped");

        var message = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.Accepted);
        var again = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("suppressed", message.GetProperty("status").GetString());
        Assert.Equal(message.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        Assert.Equal("opted_out", await api.Database.ScalarAsync<string>(
            "SELECT outcome FROM trigger_firings WHERE trigger_id = $1 AND lead_id = $2", trigger, lead));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1",
            message.GetProperty("id").GetGuid().ToString()));
    }

    [Fact]
    public async Task OnlyActiveWebhookTriggersFire()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550182");
        var template = await tenant.CreateTemplateAsync("Hi");
        var newLead = (await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "n", type = "new_lead", template_id = template }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var inactive = (await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "w", type = "webhook", template_id = template, is_active = false }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await (await tenant.Http.PostAsJsonAsync($"/triggers/{newLead}/fire", new { lead_id = lead })).ReadProblemAsync(HttpStatusCode.Conflict);
        var problem = await (await tenant.Http.PostAsJsonAsync($"/triggers/{inactive}/fire", new { lead_id = lead })).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("trigger_inactive", problem.GetProperty("reason").GetString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task FiringNeedsALeadIdOrAPhoneAndValidVariables()
    {
        using var tenant = await api.CreateTenantAsync();
        var trigger = await CreateWebhookAsync(tenant, "Hi {{code}}");

        var neither = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var badPhone = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { phone = "12345", create_lead = true })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var lead = await tenant.CreateLeadAsync("+14155550183");
        var missing = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.True(neither.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.True(badPhone.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(["code"], missing.GetProperty("missing_variables").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task FiringHonoursAnIdempotencyKey()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550184");
        var trigger = await CreateWebhookAsync(tenant, "Ping");

        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/triggers/{trigger}/fire") { Content = JsonContent.Create(new { lead_id = lead }) };
            request.Headers.Add("Idempotency-Key", "event-123");
            ids.Add((await (await tenant.Http.SendAsync(request)).ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        }

        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task FiringTwiceForTheSameLeadQueuesOnceAndAnswersTheFirstMessage()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550185");
        var trigger = await CreateWebhookAsync(tenant, "Your code is {{code}}");

        var first = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead, variables = new { code = "1" } }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var second = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead, variables = new { code = "2" } }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal("Your code is 1", second.GetProperty("body").GetString());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
        Assert.Equal("queued", await api.Database.ScalarAsync<string>(
            "SELECT outcome FROM trigger_firings WHERE trigger_id = $1 AND lead_id = $2", trigger, lead));
    }

    [Fact]
    public async Task AFireRefusedForAnExpectedReasonCanBeRetriedOnceTheReasonIsGone()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550186");
        var trigger = await CreateWebhookAsync(tenant, "Your code is {{code}}");

        await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead, variables = new { code = "7" } }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM trigger_firings WHERE trigger_id = $1", trigger));
    }

    private static async Task<Guid> CreateWebhookAsync(Tenant tenant, string body)
    {
        var template = await tenant.CreateTemplateAsync(body);
        var created = await tenant.Http.PostAsJsonAsync("/triggers", new { name = "hook", type = "webhook", template_id = template });
        return (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
