using System.Net;
using System.Security.Cryptography;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// The Api on Kestrel with a per-address allowance of 5 failed authentications and an allowance of 8 for all
/// addresses together, neither refilling during a test, and its key look-ups logged.
/// </summary>
public sealed class GlobalFailedAuthenticationFixture : ApiFixture
{
    public const int PerAddress = 5;
    public const int Everyone = 8;

    protected override bool ListenOnKestrel => true;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:FailedAuthenticationBurst"] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api:FailedAuthenticationsPerSecond"] = "1",
        ["Api:GlobalFailedAuthenticationBurst"] = Everyone.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api:GlobalFailedAuthenticationsPerSecond"] = "1",
        ["Api:RefusalDelay"] = "00:00:00",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    };
}

/// <summary>
/// Forged keys from many addresses, each within its own allowance: once all of them together have spent the Api's,
/// a key it has not seen belong to a client is refused before its look-up, from any address, while a tenant whose key
/// it knows is served.
/// </summary>
public sealed class GlobalFailedAuthenticationTests(GlobalFailedAuthenticationFixture api) : IClassFixture<GlobalFailedAuthenticationFixture>
{
    [Fact]
    public async Task AFloodFromManyAddressesCostsTheDatabaseTheApisAllowanceAndKnownKeysAreStillServed()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);
        using (var first = api.From("198.51.100.50", tenant.ApiKey))
        {
            await (await first.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK); // now known to this Api
        }

        var lookupsBefore = api.KeyLookups;
        var answers = new List<HttpStatusCode>();
        // Four addresses, three forged keys each: 12 failures wanted, none over its address's 5.
        for (var i = 0; i < 12; i++)
        {
            using var forger = api.From($"203.0.113.{60 + (i % 4)}", RandomKey());
            answers.Add((await forger.GetAsync("/credits")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, GlobalFailedAuthenticationFixture.Everyone), answers.Take(GlobalFailedAuthenticationFixture.Everyone));
        // A refill (1 a second) may let one more through.
        Assert.InRange(answers.Count(a => a == HttpStatusCode.TooManyRequests), 3, 4);
        Assert.InRange(api.KeyLookups - lookupsBefore, GlobalFailedAuthenticationFixture.Everyone, GlobalFailedAuthenticationFixture.Everyone + 1);

        using var fresh = api.From("198.51.100.51", RandomKey());
        var refused = await (await fresh.GetAsync("/credits")).ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("to this Api", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var known = api.From("198.51.100.52", tenant.ApiKey);
        await (await known.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
    }

    private static string RandomKey() =>
        "sk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
