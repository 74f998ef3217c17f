using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Compliance;

public sealed class SuppressionsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task OptingALeadOutThroughTheApiListsItAndRecordsTheEvent()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550170");
        await tenant.CreateLeadAsync("+14155550171");

        var entry = await (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead, note = "Asked by phone" })).ReadJsonAsync(HttpStatusCode.OK);
        var list = await (await tenant.Http.GetAsync("/suppressions")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(lead, entry.GetProperty("lead_id").GetGuid());
        Assert.Equal("api", entry.GetProperty("source").GetString());
        Assert.Equal("Asked by phone", entry.GetProperty("detail").GetString());
        var listed = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal("+14155550170", listed.GetProperty("phone").GetString());
        var events = await (await tenant.Http.GetAsync($"/leads/{lead}/consent-events")).ReadJsonAsync(HttpStatusCode.OK);
        var optOut = Assert.Single(events.EnumerateArray());
        Assert.Equal("opt_out", optOut.GetProperty("kind").GetString());
        Assert.Equal("api", optOut.GetProperty("source").GetString());
    }

    [Fact]
    public async Task OptingOutTwiceKeepsTheFirstOptOutAndRecordsOneEvent()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550172");

        var first = await (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.GetProperty("opted_out_at").GetDateTimeOffset(), second.GetProperty("opted_out_at").GetDateTimeOffset());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM consent_events WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task OptingALeadBackInRemovesItFromTheListAndRecordsTheEvent()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550173");
        (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead })).EnsureSuccessStatusCode();

        var removed = await tenant.LiftOptOutAsync($"/suppressions/{lead}", "Signed up again");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        var list = await (await tenant.Http.GetAsync("/suppressions")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        var events = await (await tenant.Http.GetAsync($"/leads/{lead}/consent-events")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["opt_out", "opt_in"], events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        var optIn = events.EnumerateArray().Last();
        Assert.Equal("web_form", optIn.GetProperty("consent_source").GetString());
        Assert.Equal("Yes, text me offers (form v3).", optIn.GetProperty("consent_text").GetString());
        Assert.Equal("Signed up again", optIn.GetProperty("detail").GetString());
        Assert.False((await (await tenant.Http.GetAsync($"/leads/{lead}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("opted_out").GetBoolean());
    }

    [Fact]
    public async Task RemovingALeadThatIsNotOptedOutIsNotFound()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550174");

        await (await tenant.LiftOptOutAsync($"/suppressions/{lead}")).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM consent_events WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task AnotherClientsLeadCanBeNeitherOptedOutNorSeen()
    {
        using var owner = await api.CreateTenantAsync();
        using var other = await api.CreateTenantAsync();
        var lead = await owner.CreateLeadAsync("+14155550175");

        await (await other.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await other.Http.GetAsync($"/leads/{lead}/consent-events")).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Null(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
    }

    [Fact]
    public async Task TheSuppressionListPagesWithACursor()
    {
        using var tenant = await api.CreateTenantAsync();
        foreach (var phone in new[] { "+14155550176", "+14155550177", "+14155550178" })
        {
            var lead = await tenant.CreateLeadAsync(phone);
            (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead })).EnsureSuccessStatusCode();
        }

        var first = await (await tenant.Http.GetAsync("/suppressions?limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var cursor = first.GetProperty("next_cursor").GetString();
        var second = await (await tenant.Http.GetAsync($"/suppressions?limit=2&cursor={cursor}")).ReadJsonAsync(HttpStatusCode.OK);

        var phones = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray())
            .Select(e => e.GetProperty("phone").GetString()).ToList();
        Assert.Equal(["+14155550178", "+14155550177", "+14155550176"], phones);
    }

    [Fact]
    public async Task TheHelpTextCanBeSetAndResetToTheDefault()
    {
        using var tenant = await api.CreateTenantAsync(name: "Orbit Gym");

        var set = await (await tenant.Http.PutAsJsonAsync("/compliance/help-text", new { help_text = "Orbit Gym help: 555-0100" })).ReadJsonAsync(HttpStatusCode.OK);
        var reset = await (await tenant.Http.PutAsJsonAsync("/compliance/help-text", new { help_text = "" })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Orbit Gym help: 555-0100", set.GetProperty("reply").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reset.GetProperty("help_text").ValueKind);
        Assert.StartsWith("Orbit Gym:", reset.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }
}
