using System.Net;

namespace SmsRemarketing.Api.Tests.Hosting;

/// <summary>A host whose keys may make three requests and then one per minute, and which allows one CORS origin.</summary>
public sealed class TightLimitsFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:RateLimitBurst"] = "3",
        ["Api:RateLimitPerSecond"] = "1",
        ["Api:CorsOrigins:0"] = "https://app.example.test",
    };
}

public sealed class RateLimitingTests(TightLimitsFixture api) : IClassFixture<TightLimitsFixture>
{
    [Fact]
    public async Task AFloodOnOneKeyIs429WithRetryAfterAndLeavesOtherKeysAlone()
    {
        // The admin's own partition: creating both tenants spends 2 of its 3 tokens.
        using var flooder = await api.CreateTenantAsync(credits: 0);
        using var bystander = await api.CreateTenantAsync(credits: 0);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            responses.Add(await flooder.Http.GetAsync("/credits"));
        }

        var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await limited.ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        await (await bystander.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HealthProbesHaveAnAllowanceOfTheirOwnBeyondAnAddresssExhaustedOne()
    {
        using var anonymous = api.Anonymous();
        // The address's own allowance (3) spent on another path...
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await anonymous.GetAsync("/leads")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        // ...its probes still pass: a burst of twice Api:HealthRequestsPerSecond (10).
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        }
    }

    [Fact]
    public async Task AConfiguredOriginGetsCorsHeaders()
    {
        using var anonymous = api.Anonymous();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/leads");
        preflight.Headers.Add("Origin", "https://app.example.test");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-api-key,content-type");
        using var foreign = new HttpRequestMessage(HttpMethod.Options, "/leads");
        foreign.Headers.Add("Origin", "https://evil.example.test");
        foreign.Headers.Add("Access-Control-Request-Method", "POST");

        var allowed = await anonymous.SendAsync(preflight);
        var refused = await anonymous.SendAsync(foreign);

        Assert.Equal("https://app.example.test", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
