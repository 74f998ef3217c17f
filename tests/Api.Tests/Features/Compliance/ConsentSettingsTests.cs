using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Compliance;

public sealed class ConsentSettingsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task KeywordsAndDoubleOptInAreSetNormalisedAndReadBack()
    {
        using var tenant = await api.CreateTenantAsync();

        var set = await (await tenant.Http.PatchAsJsonAsync("/compliance/consent-settings", new
        {
            keyword_languages = new List<string> { "es" },
            custom_keywords = new { opt_out = new List<string> { "¡Basta ya!" }, help = new List<string> { "soporte" } },
            double_opt_in = true,
            confirmation_text = "Acme: reply YES to get offers.",
        })).ReadJsonAsync(HttpStatusCode.OK);
        var read = await (await tenant.Http.GetAsync("/compliance/consent-settings")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["es"], read.GetProperty("keyword_languages").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["BASTAYA"], read.GetProperty("custom_keywords").GetProperty("opt_out").EnumerateArray().Select(k => k.GetString()));
        Assert.True(read.GetProperty("double_opt_in").GetBoolean());
        Assert.Equal("Acme: reply YES to get offers. Reply HELP for help, STOP to opt out.", set.GetProperty("confirmation_sms").GetString());
    }

    [Fact]
    public async Task BadKeywordSettingsAreRefusedPerFieldAndNothingIsApplied()
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PatchAsJsonAsync("/compliance/consent-settings", new
        {
            keyword_languages = new List<string> { "de" },
            custom_keywords = new Dictionary<string, string[]> { ["opt_out"] = ["  !! "], ["opt_in"] = ["stop"], ["subscribe"] = ["JOIN"] },
            double_opt_in = true,
        })).ReadProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Equal(
            ["custom_keywords.opt_in[0]", "custom_keywords.opt_out[0]", "custom_keywords.subscribe", "keyword_languages[0]"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        var read = await (await tenant.Http.GetAsync("/compliance/consent-settings")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(read.GetProperty("double_opt_in").GetBoolean());
        Assert.Equal(["es", "fr"], read.GetProperty("keyword_languages").EnumerateArray().Select(l => l.GetString()));
    }

    [Fact]
    public async Task LiftingAnOptOutWithoutTheConsentFieldsNamesEachOne()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550190");
        (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = lead })).EnsureSuccessStatusCode();

        var problem = await (await tenant.LiftOptOutAsync($"/suppressions/{lead}", body: new { consent_source = "web_form" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["consent_at", "consent_text"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.True(await api.Database.ScalarAsync<bool>("SELECT opted_out_at IS NOT NULL FROM leads WHERE id = $1", lead));
    }
}
