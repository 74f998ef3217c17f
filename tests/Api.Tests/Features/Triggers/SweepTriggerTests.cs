using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Triggers;

/// <summary><c>POST /triggers/{id}/sweep</c>: the Scheduler's lead_age sweep, run now for today's local date.</summary>
public sealed class SweepTriggerTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    // The fixture's clients live in New York.
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async Task SweepingQueuesTheLeadsCreatedNDaysAgoInTheClientsTimeZoneOnceHoweverOftenItRuns()
    {
        using var tenant = await api.CreateTenantAsync();
        var due = await tenant.CreateLeadAsync("+14155550801", firstName: "Ada");
        var tooNew = await tenant.CreateLeadAsync("+14155550802");
        var tooOld = await tenant.CreateLeadAsync("+14155550803");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, NewYork).DateTime);
        await SetCreatedAsync(due, LocalNoon(today.AddDays(-3)));
        await SetCreatedAsync(tooNew, LocalNoon(today.AddDays(-2)));
        await SetCreatedAsync(tooOld, LocalNoon(today.AddDays(-4)));
        var trigger = await CreateTriggerAsync(tenant, "lead_age", "Still interested, {{first_name}}?", days: 3);

        var first = await (await tenant.Http.PostAsync($"/triggers/{trigger}/sweep", null)).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await tenant.Http.PostAsync($"/triggers/{trigger}/sweep", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(today.ToString("O", System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("local_date").GetString());
        Assert.Equal(today.AddDays(-3).ToString("O", System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("created_on").GetString());
        Assert.Equal(1, first.GetProperty("queued").GetInt32());
        Assert.Equal(0, second.GetProperty("queued").GetInt32());
        Assert.Equal(due, await api.Database.ScalarAsync<Guid>("SELECT lead_id FROM messages WHERE trigger_id = $1", trigger));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
        Assert.Equal("Still interested, Ada?", await api.Database.ScalarAsync<string>("SELECT body FROM messages WHERE trigger_id = $1", trigger));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM sweep_runs WHERE trigger_id = $1", trigger));
    }

    [Fact]
    public async Task OnlyAnActiveLeadAgeTriggerOfTheCallersOwnSweeps()
    {
        using var tenant = await api.CreateTenantAsync();
        using var other = await api.CreateTenantAsync(name: "Other");
        var webhook = await CreateTriggerAsync(tenant, "webhook", "Hi");
        var inactive = await CreateTriggerAsync(tenant, "lead_age", "Hi", days: 1, isActive: false);
        var othersTrigger = await CreateTriggerAsync(other, "lead_age", "Hi", days: 1);

        await (await tenant.Http.PostAsync($"/triggers/{webhook}/sweep", null)).ReadProblemAsync(HttpStatusCode.Conflict);
        var problem = await (await tenant.Http.PostAsync($"/triggers/{inactive}/sweep", null)).ReadProblemAsync(HttpStatusCode.Conflict);
        await (await tenant.Http.PostAsync($"/triggers/{othersTrigger}/sweep", null)).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("trigger_inactive", problem.GetProperty("reason").GetString());
        Assert.Equal("trigger_inactive", await api.Database.ScalarAsync<string>("SELECT outcome FROM sweep_runs WHERE trigger_id = $1", inactive));
    }

    private static DateTimeOffset LocalNoon(DateOnly date)
    {
        var local = date.ToDateTime(new TimeOnly(12, 0));
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local)).ToUniversalTime();
    }

    private Task<int> SetCreatedAsync(Guid lead, DateTimeOffset createdAt) =>
        api.Database.ExecuteAsync("UPDATE leads SET created_at = $2 WHERE id = $1", lead, createdAt);

    private static async Task<Guid> CreateTriggerAsync(Tenant tenant, string type, string body, int? days = null, bool isActive = true)
    {
        var template = await tenant.CreateTemplateAsync(body);
        var created = await tenant.Http.PostAsJsonAsync("/triggers", new { name = "t", type, template_id = template, days, is_active = isActive });
        return (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
