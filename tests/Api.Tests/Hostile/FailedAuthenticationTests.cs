using System.Net;
using System.Security.Cryptography;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// The Api on Kestrel (so callers have addresses; from loopback, a trusted proxy, X-Forwarded-For names them) with a
/// small allowance of failed authentications per address, and its key lookups logged.
/// </summary>
public sealed class FailedAuthenticationFixture : ApiFixture
{
    public const int Burst = 5;

    protected override bool ListenOnKestrel => true;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:FailedAuthenticationBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api:FailedAuthenticationsPerSecond"] = "1",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    };

    public int KeyLookups => Logs.Lines.Count(line => line.Contains("Executed DbCommand", StringComparison.Ordinal)
        && line.Contains("api_key_prefix", StringComparison.Ordinal));

    /// <summary>A caller at <paramref name="address"/> (behind the loopback proxy) with <paramref name="apiKey"/>.</summary>
    public HttpClient From(string address, string apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{KestrelEndPoint}") };
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        return http;
    }
}

/// <summary>
/// A flood of forged keys from one address: past its allowance of failures each request is 429 before its key is looked
/// up (the database sees nothing more of it), while a tenant at another address is served as usual.
/// </summary>
public sealed class FailedAuthenticationTests(FailedAuthenticationFixture api) : IClassFixture<FailedAuthenticationFixture>
{
    private const string Forger = "203.0.113.9";

    [Fact]
    public async Task AnAddressWhoseKeysKeepFailingIsRefusedBeforeLookupWhileAnotherAddressIsServed()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var lookupsBefore = api.KeyLookups;

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
        {
            // A new random key each time: no cache can help, only the address.
            using var forger = api.From(Forger, RandomKey());
            answers.Add(await forger.GetAsync("/credits"));
        }

        var lookups = api.KeyLookups - lookupsBefore;
        Assert.All(answers.Take(FailedAuthenticationFixture.Burst), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        var refused = answers.Skip(FailedAuthenticationFixture.Burst + 2).ToList();
        Assert.All(refused, a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        var problem = await refused[0].ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("failed authentications", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
        // One lookup per key that was let through (a refill may let one or two more in during the loop), not 30.
        Assert.InRange(lookups, FailedAuthenticationFixture.Burst, FailedAuthenticationFixture.Burst + 2);

        using var elsewhere = api.From("198.51.100.7", tenant.ApiKey);
        await (await elsewhere.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
        // The price of sharing the forger's address: its tenant waits for the allowance to refill too.
        using var sameAddress = api.From(Forger, tenant.ApiKey);
        await (await sameAddress.GetAsync("/credits")).ReadProblemAsync(HttpStatusCode.TooManyRequests);
    }

    private static string RandomKey() =>
        "sk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
