using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Delivery;

/// <summary>Quiet hours, the frequency cap, max segments and per-segment pricing as the Api's callers meet them.</summary>
public sealed class DeliveryPolicyTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    // 2026-03-10 is after the US switch to daylight time (March 8): New York is UTC-4.
    private static readonly DateTimeOffset NightInNewYork = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);     // 23:00 local
    private static readonly DateTimeOffset MorningInNewYork = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);  // 11:00 local
    private static readonly DateTimeOffset NewYorkWindowOpens = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero); // 08:00 local

    [Fact]
    public async Task AManualMarketingSendOutsideTheSendingWindowIsRefusedWithWhenTheWindowOpens()
    {
        api.Clock.Now = NightInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true);
        var lead = await tenant.CreateLeadAsync("+18005550101"); // toll-free: the number implies no zone, the client's (New York) applies

        var refused = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" }))
            .ReadProblemAsync(HttpStatusCode.Conflict);
        var explicitMarketing = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", category = "marketing" }))
            .ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("urn:smsremarketing:problem:outside-sending-window", refused.GetProperty("type").GetString());
        Assert.Equal("Outside the sending window", refused.GetProperty("title").GetString());
        Assert.Equal("outside_sending_window", refused.GetProperty("reason").GetString());
        Assert.Equal(NewYorkWindowOpens, refused.GetProperty("window_opens_at").GetDateTimeOffset());
        Assert.Contains("America/New_York", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("08:00", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("category", refused.GetProperty("exempt").GetString(), StringComparison.Ordinal);
        Assert.Equal("outside_sending_window", explicitMarketing.GetProperty("reason").GetString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task AManualSendInsideTheSendingWindowIsQueued()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true);
        var lead = await tenant.CreateLeadAsync("+12125550102");

        var sent = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("queued", sent.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ManualSendsAreNotFrequencyCapped()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true); // the default cap: 1 automated SMS per 24 h
        var lead = await tenant.CreateLeadAsync("+12125550103");

        var statuses = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var sent = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = $"Hi {i}" })).ReadJsonAsync(HttpStatusCode.Accepted);
            statuses.Add(sent.GetProperty("status").GetString());
        }

        Assert.All(statuses, status => Assert.Equal("queued", status));
    }

    [Fact]
    public async Task AWebhookFiringInQuietHoursIsScheduledForTheWindowWithoutAnEvent()
    {
        api.Clock.Now = NightInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true);
        var lead = await tenant.CreateLeadAsync("+12125550104");
        var trigger = await CreateWebhookAsync(tenant, "Hi {{first_name}}");

        var message = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("scheduled", message.GetProperty("status").GetString());
        Assert.Equal(NewYorkWindowOpens, message.GetProperty("send_after").GetDateTimeOffset());
        Assert.Contains("quiet hours", message.GetProperty("error_message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1",
            message.GetProperty("id").GetGuid().ToString()));
        Assert.Equal("scheduled", await api.Database.ScalarAsync<string>(
            "SELECT outcome FROM trigger_firings WHERE trigger_id = $1 AND lead_id = $2", trigger, lead));
        var listed = await (await tenant.Http.GetAsync("/messages?status=scheduled")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(message.GetProperty("id").GetGuid(), Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task ThreeAutomationsFiringAtOnceForOneLeadRespectACapOfOne()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true); // the default cap: 1 automated SMS per 24 h, action defer
        var lead = await tenant.CreateLeadAsync("+12125550107");
        var triggers = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            triggers.Add(await CreateWebhookAsync(tenant, $"Offer {i}"));
        }

        var fired = await Task.WhenAll(triggers.Select(async trigger =>
            await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.Accepted)));

        Assert.Single(fired, message => message.GetProperty("status").GetString() == "queued");
        Assert.Equal(2, fired.Count(message => message.GetProperty("status").GetString() == "scheduled"
            && message.GetProperty("error_message").GetString()!.Contains("frequency cap", StringComparison.Ordinal)));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE lead_id = $1 AND status = 'queued'", lead));
    }

    [Fact]
    public async Task AMessageOverTheClientsMaxSegmentsIsRefused()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { max_segments = 1 })).EnsureSuccessStatusCode();
        var lead = await tenant.CreateLeadAsync("+12125550105");
        var template = await tenant.CreateTemplateAsync("Hi {{first_name}}, " + new string('x', 200)); // GSM-7, 2 segments

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, template_id = template }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("urn:smsremarketing:problem:too-many-segments", problem.GetProperty("type").GetString());
        Assert.Equal("too_many_segments", problem.GetProperty("reason").GetString());
        Assert.Contains("2 segments", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("at most 1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task AClientPayingPerSegmentIsChargedItsSegmentsAndNeedsThemInCredit()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync(credits: 2);
        using var admin = api.Admin();
        var lead = await tenant.CreateLeadAsync("+12125550106");
        var perAttempt = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = new string('a', 400) }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { pay_per_segment = true })).EnsureSuccessStatusCode();

        var twoSegments = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = new string('b', 200) }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var threeSegments = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = new string('c', 400) }))
            .ReadProblemAsync(HttpStatusCode.PaymentRequired);

        Assert.Equal(3, perAttempt.GetProperty("segments").GetInt32());
        Assert.Equal(1, perAttempt.GetProperty("credit_cost").GetInt32());
        Assert.Equal(2, twoSegments.GetProperty("segments").GetInt32());
        Assert.Equal(2, twoSegments.GetProperty("credit_cost").GetInt32());
        Assert.Equal(2, await api.Database.ScalarAsync<int>("SELECT credit_cost FROM messages WHERE id = $1", twoSegments.GetProperty("id").GetGuid()));
        Assert.Contains("costs 3 credits", threeSegments.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static async Task<Guid> CreateWebhookAsync(Tenant tenant, string body)
    {
        var template = await tenant.CreateTemplateAsync(body);
        var created = await tenant.Http.PostAsJsonAsync("/triggers", new { name = "hook", type = "webhook", template_id = template });
        return (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
