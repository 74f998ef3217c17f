using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Delivery;

/// <summary>A client's daily caps on SMS and on credits, its local day: 429 with the reset on a manual send, recorded on an automated firing.</summary>
public sealed class DailyCapsTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    // 15:00 in New York (UTC-4 in June): the day resets at the next local midnight, 04:00 UTC.
    private static readonly DateTimeOffset AfternoonInNewYork = new(2026, 6, 10, 19, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NewYorkMidnight = new(2026, 6, 11, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ADailyMessageCapStopsManualSendsAtTheCapWithWhenItResets()
    {
        api.Clock.Now = AfternoonInNewYork;
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await DestinationsTests.PatchAsync(admin, tenant.Id, new { daily_message_cap = 2 });
        var lead = await tenant.CreateLeadAsync("+14155550901");

        for (var i = 0; i < 2; i++)
        {
            await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = $"Hi {i}" })).ReadJsonAsync(HttpStatusCode.Accepted);
        }

        var capped = await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "One too many" });
        var problem = await capped.ReadProblemAsync(HttpStatusCode.TooManyRequests);

        Assert.Equal("urn:smsremarketing:problem:daily-cap-reached", problem.GetProperty("type").GetString());
        Assert.Equal("spend.daily_message_cap", problem.GetProperty("rule").GetString());
        Assert.Equal(1, problem.GetProperty("credit_cost").GetInt32());
        Assert.Equal(NewYorkMidnight, problem.GetProperty("resets_at").GetDateTimeOffset());
        Assert.True(capped.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {capped.Headers.RetryAfter}");
        Assert.Equal(2L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ADailyCreditCapRefusesTheMessageThatWouldPassIt()
    {
        api.Clock.Now = AfternoonInNewYork;
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await DestinationsTests.PatchAsync(admin, tenant.Id, new { daily_credit_cap = 5, pay_per_segment = true });
        var lead = await tenant.CreateLeadAsync("+14155550902");
        var twoSegments = new string('a', 200);

        for (var i = 0; i < 2; i++)
        {
            await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = twoSegments })).ReadJsonAsync(HttpStatusCode.Accepted);
        }

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = twoSegments }))
            .ReadProblemAsync(HttpStatusCode.TooManyRequests);
        var oneSegment = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Short" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("spend.daily_credit_cap", problem.GetProperty("rule").GetString());
        Assert.Equal(2, problem.GetProperty("credit_cost").GetInt32());
        Assert.Contains("1 left", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("queued", oneSegment.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACapRemovedByTheOperatorNoLongerStopsSends()
    {
        api.Clock.Now = AfternoonInNewYork;
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await DestinationsTests.PatchAsync(admin, tenant.Id, new { daily_message_cap = 1 });
        var lead = await tenant.CreateLeadAsync("+14155550903");
        await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "First" })).ReadJsonAsync(HttpStatusCode.Accepted);
        await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Second" })).ReadProblemAsync(HttpStatusCode.TooManyRequests);

        var removed = await DestinationsTests.PatchAsync(admin, tenant.Id, new { daily_message_cap = 0 });
        var sent = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Second" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(System.Text.Json.JsonValueKind.Null, removed.GetProperty("daily_message_cap").ValueKind);
        Assert.Equal("queued", sent.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnAutomatedSweepPastTheDailyCapRecordsTheRefusalOnTheFiring()
    {
        api.Clock.Now = AfternoonInNewYork;
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await DestinationsTests.PatchAsync(admin, tenant.Id, new { daily_message_cap = 1 });
        var leads = new[] { await tenant.CreateLeadAsync("+14155550904"), await tenant.CreateLeadAsync("+14155550905") };
        await api.Database.ExecuteAsync("UPDATE leads SET created_at = $2 WHERE id = ANY($1)", leads, AfternoonInNewYork.AddDays(-2));
        var template = await tenant.CreateTemplateAsync("Still interested?");
        var trigger = (await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "t", type = "lead_age", template_id = template, days = 2 }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var swept = await (await tenant.Http.PostAsync($"/triggers/{trigger}/sweep", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1, swept.GetProperty("queued").GetInt32());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM trigger_firings WHERE trigger_id = $1 AND outcome = 'queued'", trigger));
        var detail = await api.Database.ScalarAsync<string>(
            "SELECT detail FROM trigger_firings WHERE trigger_id = $1 AND outcome = 'daily_cap_reached'", trigger);
        Assert.Contains("spend.daily_message_cap", detail, StringComparison.Ordinal);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE trigger_id = $1", trigger));
    }
}
