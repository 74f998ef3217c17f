using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Features.Delivery;

/// <summary>
/// Where a client may text and what it costs, as the Api's callers meet them: denied number types and countries,
/// the operator's price table, previews showing the cost. Each test prices a country no other test prices: the table
/// is the whole service's.
/// </summary>
public sealed class DestinationsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string PremiumRate = "+19002345678";      // US 900: premium rate
    private const string NonGeographic = "+80012345678";    // +800: international freephone, region 001
    private const string UkNumber = "+442071838750";   // London (+44 7911 would be Guernsey, GG)

    private static readonly string[] NoTypes = [];
    private static readonly string[] PremiumRateOnly = ["premium_rate"];
    private static readonly string[] LowerCaseGb = ["gb"];
    private static readonly string[] Germany = ["DE"];
    private static readonly string[] Canada = ["CA"];
    private static readonly string[] OneCountryNotIso = ["GB", "ZZ"];
    private static readonly string[] NotANumberType = ["premium"];

    [Theory]
    [InlineData(PremiumRate, "US", "premium_rate")]
    [InlineData(NonGeographic, "001", "non_geographic")]
    public async Task ADeniedNumberTypeIsRefusedAtLeadCreationWithThePhoneAndTheRuleNamed(string phone, string country, string type)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsJsonAsync("/leads", new { phone })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("urn:smsremarketing:problem:destination-refused", problem.GetProperty("type").GetString());
        Assert.Equal("destination.number_type_denied", problem.GetProperty("rule").GetString());
        Assert.Equal(country, problem.GetProperty("country").GetString());
        Assert.Contains(type.Replace('_', ' '), problem.GetProperty("errors").GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AWebhookFireThatWouldCreateADeniedNumberCreatesNothing()
    {
        using var tenant = await api.CreateTenantAsync();
        var template = await tenant.CreateTemplateAsync("Hi");
        var trigger = (await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "w", type = "webhook", template_id = template }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var problem = await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { phone = NonGeographic, create_lead = true }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("destination.number_type_denied", problem.GetProperty("rule").GetString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AnAllowedNumberTypeDeniedAgainByTheOperatorIsRefusedAtSend()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await PatchAsync(admin, tenant.Id, new { denied_number_types = NoTypes });
        var lead = await tenant.CreateLeadAsync(PremiumRate);
        await PatchAsync(admin, tenant.Id, new { denied_number_types = PremiumRateOnly });

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("destination.number_type_denied", problem.GetProperty("rule").GetString());
        Assert.Equal("destination_refused", problem.GetProperty("reason").GetString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AnOutOfCountryNumberIsRefusedUntilTheOperatorAllowsItsCountryThenCostsTheTablesPricePerSegment()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        var lead = await tenant.CreateLeadAsync(UkNumber);
        var threeSegments = new string('a', 400); // GSM-7: 153 characters a segment
        var template = await tenant.CreateTemplateAsync(threeSegments);

        var refused = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = threeSegments }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await admin.PutAsJsonAsync("/admin/prices/gb", new { credits_per_segment = 2 })).ReadJsonAsync(HttpStatusCode.OK);
        var stillRefused = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = threeSegments }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var allowed = await PatchAsync(admin, tenant.Id, new { allowed_countries = LowerCaseGb });
        var preview = await (await tenant.Http.PostAsJsonAsync($"/templates/{template}/preview", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.OK);
        var sent = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = threeSegments })).ReadJsonAsync(HttpStatusCode.Accepted);
        var prices = await (await admin.GetAsync("/admin/prices")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("destination.country_not_allowed", refused.GetProperty("rule").GetString());
        Assert.Contains("GB", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("destination.country_not_allowed", stillRefused.GetProperty("rule").GetString());
        Assert.Equal("GB", Assert.Single(allowed.GetProperty("allowed_countries").EnumerateArray()).GetString());
        Assert.Equal(3, preview.GetProperty("segments").GetInt32());
        Assert.Equal(6, preview.GetProperty("credit_cost").GetInt32());
        Assert.Equal("GB", preview.GetProperty("country").GetString());
        Assert.Equal(6, await api.Database.ScalarAsync<int>("SELECT credit_cost FROM messages WHERE id = $1", sent.GetProperty("id").GetGuid()));
        Assert.Contains(prices.EnumerateArray(), p => p.GetProperty("country").GetString() == "GB" && p.GetProperty("credits_per_segment").GetInt32() == 2);
    }

    [Fact]
    public async Task AnAllowedCountryWithoutAPriceIsRefusedNotSentAtTheHomePrice()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        var lead = await tenant.CreateLeadAsync("+4915123456789");
        await PatchAsync(admin, tenant.Id, new { allowed_countries = Germany });

        var problem = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hallo" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var preview = await (await tenant.Http.PostAsJsonAsync("/templates/preview", new { body = "Hallo", lead_id = lead })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("destination.no_price", problem.GetProperty("rule").GetString());
        Assert.Equal("destination.no_price", preview.GetProperty("refusal").GetString());
        Assert.Equal(JsonValueKind.Null, preview.GetProperty("credit_cost").ValueKind);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task APreviewWithoutALeadShowsTheHomeCostOfTheClientsPlan()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await PatchAsync(admin, tenant.Id, new { pay_per_segment = true });

        var preview = await (await tenant.Http.PostAsJsonAsync("/templates/preview", new { body = new string('a', 200) })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, preview.GetProperty("credit_cost").GetInt32());
        Assert.Equal("US", preview.GetProperty("country").GetString());
    }

    [Theory]
    [InlineData("Europe/London", null, "GB")]
    [InlineData("America/Chicago", null, "US")]
    [InlineData(null, null, "US")]
    [InlineData("Europe/Paris", "ca", "CA")]
    public async Task ANewClientsHomeCountryIsGivenOrItsTimeZonesCountry(string? timezone, string? homeCountry, string expected)
    {
        using var admin = api.Admin();

        var created = await (await admin.PostAsJsonAsync("/clients", new { name = "Acme", email = "ops@acme.test", timezone, home_country = homeCountry }))
            .ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal(expected, created.GetProperty("home_country").GetString());
        Assert.Contains("premium_rate", created.GetProperty("denied_number_types").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains("non_geographic", created.GetProperty("denied_number_types").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task BadDestinationSettingsAreRefusedPerFieldAndNothingIsApplied()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();

        var problem = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new
        {
            name = "Renamed",
            home_country = "USA",
            allowed_countries = OneCountryNotIso,
            denied_number_types = NotANumberType,
            daily_message_cap = -1,
            daily_credit_cap = -5,
        })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var client = await (await admin.GetAsync($"/clients/{tenant.Id}")).ReadJsonAsync(HttpStatusCode.OK);

        var errors = problem.GetProperty("errors");
        foreach (var field in (string[])["home_country", "allowed_countries[1]", "denied_number_types[0]", "daily_message_cap", "daily_credit_cap"])
        {
            Assert.True(errors.TryGetProperty(field, out _), $"No error for {field}: {errors}");
        }

        Assert.False(errors.TryGetProperty("allowed_countries[0]", out _));
        Assert.Equal("Acme", client.GetProperty("name").GetString());
        Assert.Equal("US", client.GetProperty("home_country").GetString());
        Assert.Empty(client.GetProperty("allowed_countries").EnumerateArray());
    }

    [Theory]
    [InlineData("XX", 1, new[] { "country" })]
    [InlineData("GBR", 1, new[] { "country" })]
    [InlineData("FR", 0, new[] { "credits_per_segment" })]
    [InlineData("FR", -2, new[] { "credits_per_segment" })]
    [InlineData("1A", -2, new[] { "country", "credits_per_segment" })]
    public async Task BadPricesAreRefusedPerFieldAndNothingIsStored(string country, int credits, string[] fields)
    {
        using var admin = api.Admin();

        var problem = await (await admin.PutAsJsonAsync($"/admin/prices/{country}", new { credits_per_segment = credits })).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(fields.Order().ToArray(), problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToArray());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM destination_prices WHERE country IN ('XX', 'FR', 'GBR', '1A')"));
    }

    [Fact]
    public async Task TheTenantSeesItsDestinationsReadOnly()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await PatchAsync(admin, tenant.Id, new { allowed_countries = Canada, daily_message_cap = 10 });

        var policy = await (await tenant.Http.GetAsync("/compliance/delivery-policy")).ReadJsonAsync(HttpStatusCode.OK);
        var forbidden = await tenant.Http.PutAsJsonAsync("/admin/prices/CA", new { credits_per_segment = 1 });

        Assert.Equal("US", policy.GetProperty("home_country").GetString());
        Assert.Equal("CA", policy.GetProperty("allowed_countries")[0].GetString());
        Assert.Equal(10, policy.GetProperty("daily_message_cap").GetInt32());
        Assert.True(forbidden.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{forbidden.StatusCode}");
    }

    internal static async Task<JsonElement> PatchAsync(HttpClient admin, Guid clientId, object settings) =>
        await (await admin.PatchAsJsonAsync($"/clients/{clientId}", settings)).ReadJsonAsync(HttpStatusCode.OK);
}
