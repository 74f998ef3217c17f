using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Delivery;

/// <summary>The zone a number implies decides the window; a lead's declared zone only chooses among its number's zones.</summary>
public sealed class RecipientZoneTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    // 2026-03-10 is after the US switch to daylight time (March 8): New York is UTC-4, Los Angeles UTC-7.
    private static readonly DateTimeOffset ThreeAmInNewYork = new(2026, 3, 10, 7, 0, 0, TimeSpan.Zero);    // 03:00 NY, 21:00 Kiritimati
    private static readonly DateTimeOffset NewYorkWindowOpens = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);  // 08:00 local
    private static readonly DateTimeOffset EveningInLosAngeles = new(2026, 3, 11, 1, 30, 0, TimeSpan.Zero); // 21:30 NY, 18:30 LA

    [Fact]
    public async Task ALeadCannotBeCreatedOrMovedIntoAZoneItsNumberIsNotIn()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+12125550301");

        var created = await (await tenant.Http.PostAsJsonAsync("/leads", new { phone = "+12125550302", timezone = "Pacific/Kiritimati" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var moved = await (await tenant.Http.PatchAsJsonAsync($"/leads/{lead}", new { timezone = "Pacific/Kiritimati" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        var error = Assert.Single(created.GetProperty("errors").GetProperty("timezone").EnumerateArray()).GetString();
        Assert.Contains("America/New_York", error, StringComparison.Ordinal);
        Assert.True(moved.GetProperty("errors").TryGetProperty("timezone", out _));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE phone = '+12125550302'"));
        Assert.Null(await api.Database.ScalarAsync<string?>("SELECT timezone FROM leads WHERE id = $1", lead));
    }

    [Fact]
    public async Task ADeclaredKiritimatiZoneDoesNotMoveANewYorkNumberOutOfItsWindow()
    {
        api.Clock.Now = ThreeAmInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true);
        var lead = await tenant.CreateLeadAsync("+12125550303");
        // Stored before the Api refused it (or written by another door): the rule still goes by the number.
        await api.Database.ExecuteAsync("UPDATE leads SET timezone = 'Pacific/Kiritimati' WHERE id = $1", lead);
        var template = await tenant.CreateTemplateAsync("Hi {{first_name}}");
        var trigger = (await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "hook", type = "webhook", template_id = template }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var manual = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" }))
            .ReadProblemAsync(HttpStatusCode.Conflict);
        var automated = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(NewYorkWindowOpens, manual.GetProperty("window_opens_at").GetDateTimeOffset());
        Assert.Contains("America/New_York (the phone's time zone)", manual.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("scheduled", automated.GetProperty("status").GetString());
        Assert.Equal(NewYorkWindowOpens, automated.GetProperty("send_after").GetDateTimeOffset());
    }

    [Fact]
    public async Task AMultiZoneNumberHonoursTheLeadsZoneAmongItsZones()
    {
        api.Clock.Now = EveningInLosAngeles;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true); // the client is in New York, closed at 21:30
        var inLosAngeles = (await tenant.CreateLeadAsync(new { phone = "+18005550304", timezone = "America/Los_Angeles" })).GetProperty("id").GetGuid();
        var undeclared = await tenant.CreateLeadAsync("+18005550305");

        var sent = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = inLosAngeles, body = "Hi" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        var refused = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = undeclared, body = "Hi" }))
            .ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("queued", sent.GetProperty("status").GetString());
        Assert.Contains("America/New_York (the client's time zone)", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
