using System.Net;

namespace SmsRemarketing.Api.Tests.Hosting;

public sealed class AuthenticationTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/leads")]
    [InlineData("/templates")]
    [InlineData("/messages")]
    [InlineData("/triggers")]
    [InlineData("/credits")]
    public async Task TenantEndpointsRefuseARequestWithoutAKey(string path)
    {
        using var anonymous = api.Anonymous();

        var problem = await (await anonymous.GetAsync(path)).ReadProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("X-API-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-key")]
    [InlineData("sk_short")]
    [InlineData("sk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task AMalformedOrUnknownKeyIsUnauthorized(string key)
    {
        using var client = api.WithApiKey(key);

        var problem = await (await client.GetAsync("/leads")).ReadProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal("The API key is not valid.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AKeyWithARealPrefixButAWrongSecretIsUnauthorized()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var forged = tenant.ApiKey[..12] + new string('A', tenant.ApiKey.Length - 12);
        using var client = api.WithApiKey(forged);

        await (await client.GetAsync("/leads")).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheAdminKeyDoesNotOpenTenantEndpoints()
    {
        using var admin = api.Admin();

        await (await admin.GetAsync("/leads")).ReadProblemAsync(HttpStatusCode.Unauthorized);
    }
}
