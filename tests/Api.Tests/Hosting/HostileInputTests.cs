using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace SmsRemarketing.Api.Tests.Hosting;

public sealed class HostileInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("{\"phone\": ")]
    [InlineData("{phone: '+14155550190'}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"phone\": \"+14155550190\",}")]
    public async Task MalformedJsonIsAProblemNotAFault(string json)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsync("/leads", HttpAssertions.Json(json))).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Theory]
    [InlineData("/leads", "{\"phone\": 14155550190}", "$.phone")]
    [InlineData("/messages/send", "{\"lead_id\": \"not-a-guid\", \"body\": \"x\"}", "$.lead_id")]
    [InlineData("/messages/send", "{\"lead_id\": \"00000000-0000-0000-0000-000000000001\", \"body\": \"x\", \"variables\": {\"a\": 1}}", "$.variables.a")]
    [InlineData("/triggers", "{\"name\": \"t\", \"type\": 1}", "$.type")]
    [InlineData("/leads", "{\"phone\": \"+14155550190\", \"first_name\": [\"x\"]}", "$.first_name")]
    public async Task AWrongTypeNamesTheField(string path, string json, string field)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsync(path, HttpAssertions.Json(json))).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NumbersAsStringsAreNotAccepted()
    {
        using var admin = api.Admin();

        await (await admin.PostAsync("/credits/add", HttpAssertions.Json("{\"client_id\": \"00000000-0000-0000-0000-000000000001\", \"amount\": \"10\", \"reference\": \"x\"}")))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnEmptyBodyIsABadRequest()
    {
        using var tenant = await api.CreateTenantAsync();

        await (await tenant.Http.PostAsync("/leads", HttpAssertions.Json(""))).ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ANonJsonContentTypeIsUnsupported()
    {
        using var tenant = await api.CreateTenantAsync();

        await (await tenant.Http.PostAsync("/leads", new StringContent("phone=+14155550190", Encoding.UTF8, "application/x-www-form-urlencoded")))
            .ReadProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task AnOversizedBodyIs413AndStoresNothing()
    {
        using var tenant = await api.CreateTenantAsync();
        var huge = $"{{\"phone\": \"+14155550191\", \"first_name\": \"{new string('x', 70_000)}\"}}";

        var problem = await (await tenant.Http.PostAsync("/leads", HttpAssertions.Json(huge))).ReadProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("65536", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AnUnknownRouteAndAMalformedIdAreProblems()
    {
        using var tenant = await api.CreateTenantAsync();

        await (await tenant.Http.GetAsync("/no-such-thing")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.GetAsync("/leads/not-a-guid")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.GetAsync("/leads?limit=abc")).ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ResponsesAreSnakeCase()
    {
        using var tenant = await api.CreateTenantAsync();

        var lead = await tenant.CreateLeadAsync(new { phone = "+14155550192", first_name = "Ada" });

        Assert.True(lead.TryGetProperty("first_name", out _));
        Assert.True(lead.TryGetProperty("custom_fields", out _));
        Assert.True(lead.TryGetProperty("created_at", out _));
        Assert.False(lead.TryGetProperty("firstName", out _));
    }

    [Fact]
    public async Task CamelCaseFieldsAreNotSilentlyMisread()
    {
        using var tenant = await api.CreateTenantAsync();

        var lead = await tenant.CreateLeadAsync(new { phone = "+14155550193", firstName = "Ignored" });

        Assert.Equal(System.Text.Json.JsonValueKind.Null, lead.GetProperty("first_name").ValueKind);
    }

    [Fact]
    public async Task HostileTemplateBodiesAreStoredFaithfully()
    {
        using var tenant = await api.CreateTenantAsync();
        var body = "Robert'); DROP TABLE templates;-- {{first_name|😀}} \\ \" <script>";

        var created = await (await tenant.Http.PostAsJsonAsync("/templates", new { name = "'; DELETE FROM clients; --", body })).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal(body, await api.Database.ScalarAsync<string>("SELECT body FROM templates WHERE id = $1", created.GetProperty("id").GetGuid()));
    }
}
