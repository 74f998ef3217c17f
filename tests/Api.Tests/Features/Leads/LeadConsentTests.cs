using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Leads;

public sealed class LeadConsentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task ConsentGivenAtCreationIsStoredAndShown()
    {
        using var tenant = await api.CreateTenantAsync();
        var at = new DateTimeOffset(2026, 3, 1, 14, 30, 0, TimeSpan.FromHours(-5));

        var lead = await tenant.CreateLeadAsync(new
        {
            phone = "+14155550180", consent_source = "web_form", consent_at = at, consent_text = "I agree to receive texts from Acme (form v3).",
        });

        Assert.Equal("web_form", lead.GetProperty("consent_source").GetString());
        Assert.Equal(at, lead.GetProperty("consent_at").GetDateTimeOffset());
        Assert.Equal("I agree to receive texts from Acme (form v3).", lead.GetProperty("consent_text").GetString());
    }

    [Fact]
    public async Task AnUpdateChangesOnlyTheConsentFieldsItNames()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = (await tenant.CreateLeadAsync(new { phone = "+14155550181", consent_source = "checkout", consent_text = "ref-1" })).GetProperty("id").GetGuid();

        var updated = await (await tenant.Http.PatchAsJsonAsync($"/leads/{id}", new { consent_text = "ref-2" })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("checkout", updated.GetProperty("consent_source").GetString());
        Assert.Equal("ref-2", updated.GetProperty("consent_text").GetString());
    }

    [Fact]
    public async Task ConsentInTheFutureIsRefused()
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsJsonAsync("/leads", new { phone = "+14155550182", consent_at = DateTimeOffset.UtcNow.AddDays(2) }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("consent_at", out _), problem.ToString());
    }
}
