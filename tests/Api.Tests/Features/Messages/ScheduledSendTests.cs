using System.Net;
using System.Net.Http.Json;
using SmsRemarketing.Api.Tests.Features.Delivery;

namespace SmsRemarketing.Api.Tests.Features.Messages;

/// <summary><c>POST /messages/send</c> with <c>send_at</c>: what is refused now, what is stored for later, and its bounds.</summary>
public sealed class ScheduledSendTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    // 2026-03-10 is after the US switch to daylight time: New York is UTC-4.
    private static readonly DateTimeOffset MorningInNewYork = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);  // 11:00 local
    private static readonly DateTimeOffset NightInNewYork = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);     // 23:00 local

    [Fact]
    public async Task ASendTwoHoursAheadIsStoredScheduledUntilThenWithNoEventAndNoDebit()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550701");
        var sendAt = new DateTimeOffset(2026, 3, 10, 13, 0, 0, TimeSpan.FromHours(-4)); // 17:00 UTC

        var response = await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Your table is ready at 1 pm", send_at = sendAt });
        var message = await response.ReadJsonAsync(HttpStatusCode.Accepted);

        var id = message.GetProperty("id").GetGuid();
        Assert.Equal($"/messages/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("scheduled", message.GetProperty("status").GetString());
        Assert.Equal(sendAt, message.GetProperty("send_after").GetDateTimeOffset());
        Assert.Equal("scheduled", await api.Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", id));
        Assert.True(await api.Database.ScalarAsync<bool>("SELECT send_after = $2 FROM messages WHERE id = $1", id, sendAt.ToUniversalTime()));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE body::jsonb ->> 'messageId' = $1", id.ToString()));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE message_id = $1", id));
        var listed = await (await tenant.Http.GetAsync("/messages?status=scheduled")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task ASendAtInThePastIsRefusedNamingSendAtAndStoresNothing()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550702");

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = MorningInNewYork.AddMinutes(-5) }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("past", problem.GetProperty("errors").GetProperty("send_at")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ASendAtThirtySixDaysAheadIsRefusedNamingSendAt()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550703");

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = MorningInNewYork.AddDays(36) }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("35 days", problem.GetProperty("errors").GetProperty("send_at")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ASendAtThirtyFiveDaysAheadIsAccepted()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550704");

        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = MorningInNewYork.AddDays(35) }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("scheduled", message.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ASendAtAFewSecondsAgoIsTakenAsNowAndIsDueAtOnce()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550705");

        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = MorningInNewYork.AddSeconds(-30) }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("scheduled", message.GetProperty("status").GetString());
        Assert.Equal(MorningInNewYork.AddSeconds(-30), message.GetProperty("send_after").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("2026-03-10T17:00:00")]
    [InlineData("tomorrow")]
    [InlineData("2026-02-30T17:00:00Z")]
    public async Task ASendAtThatIsNotAnInstantWithItsOffsetIsABadRequest(string sendAt)
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550706");

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = sendAt }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("offset", problem.GetProperty("errors").GetProperty("send_at")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASendForLaterIsNotRefusedForQuietHoursOrCreditThatOnlyMatterWhenItGoes()
    {
        api.Clock.Now = NightInNewYork;
        using var tenant = await api.CreateTenantAsync(credits: 0, deliveryPolicy: true);
        var lead = await tenant.CreateLeadAsync("+18005550707"); // toll-free: the client's zone (New York) applies
        var sendAt = NightInNewYork.AddHours(1); // still night in New York: the releaser moves it to the window then

        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = sendAt }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("scheduled", message.GetProperty("status").GetString());
        Assert.Equal(sendAt, message.GetProperty("send_after").GetDateTimeOffset());
    }

    [Fact]
    public async Task ASendForLaterToAnOptedOutLeadIsSuppressedAsASendNowIs()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550708");
        await api.Database.OptOutLeadAsync(lead);

        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = MorningInNewYork.AddHours(2) }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("suppressed", message.GetProperty("status").GetString());
        Assert.Contains("opted out", message.GetProperty("error_message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASendForLaterToADestinationTheClientMayNotTextIsRefusedNow()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+442071838750"); // London: the client may text its home country only

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = MorningInNewYork.AddHours(2) }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("destination.country_not_allowed", problem.GetProperty("rule").GetString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ARetryOfAScheduledSendWithItsIdempotencyKeyAnswersTheSameAndStoresOne()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550709");
        var body = new { lead_id = lead, body = "See you at 1 pm", send_at = MorningInNewYork.AddHours(2) };

        var first = await (await SendAsync(tenant, "later-1", body)).ReadJsonAsync(HttpStatusCode.Accepted);
        var retry = await (await SendAsync(tenant, "later-1", body)).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(first.GetProperty("id").GetGuid(), retry.GetProperty("id").GetGuid());
        Assert.Equal("scheduled", retry.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("send_after").GetDateTimeOffset(), retry.GetProperty("send_after").GetDateTimeOffset());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    private static Task<HttpResponseMessage> SendAsync(Tenant tenant, string key, object body) =>
        tenant.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/messages/send")
        {
            Headers = { { "Idempotency-Key", key } },
            Content = JsonContent.Create(body),
        });
}
