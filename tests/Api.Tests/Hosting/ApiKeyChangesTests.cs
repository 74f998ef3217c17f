using System.Net;
using System.Security.Cryptography;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Api.Tests.Hosting;

/// <summary>The Api with its database commands logged, so a test can count the key lookups it made.</summary>
public sealed class KeyLookupLoggingFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
    };
}

/// <summary>
/// What this Api caches of keys follows the database: a change made anywhere (another replica, an operator's SQL) is
/// reported by the clients trigger and evicted here within a second, and an unknown key asked for again is not looked up again.
/// </summary>
public sealed class ApiKeyChangesTests(KeyLookupLoggingFixture api) : IClassFixture<KeyLookupLoggingFixture>
{
    // Far under Api:ApiKeyCacheDuration (30 s), which was the only bound before the change was reported.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AKeyDeactivatedOrRotatedElsewhereIsRefusedHereOnceTheDatabaseReportsIt()
    {
        using var deactivated = await api.CreateTenantAsync(credits: 0, name: "deactivated");
        using var rotated = await api.CreateTenantAsync(credits: 0, name: "rotated");
        await (await deactivated.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
        await (await rotated.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);

        // Not through this Api: it learns of the change only from the database.
        await api.Database.ExecuteAsync("UPDATE clients SET is_active = false WHERE id = $1", deactivated.Id);
        await api.Database.ExecuteAsync("UPDATE clients SET api_key_hash = $2 WHERE id = $1", rotated.Id, RandomNumberGenerator.GetBytes(32));

        await Eventually.WaitAsync(async () => (await deactivated.Http.GetAsync("/credits")).StatusCode,
            status => status == HttpStatusCode.Forbidden, "the deactivated client's key to be refused", Promptly);
        await Eventually.WaitAsync(async () => (await rotated.Http.GetAsync("/credits")).StatusCode,
            status => status == HttpStatusCode.Unauthorized, "the rotated-away key to be refused", Promptly);
    }

    [Fact]
    public async Task AnUnknownKeySentAgainAndAgainIsLookedUpOnce()
    {
        using var revoked = api.WithApiKey("sk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
        var before = api.KeyLookups;

        for (var i = 0; i < 10; i++)
        {
            await (await revoked.GetAsync("/credits")).ReadProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.Equal(1, api.KeyLookups - before);
    }
}
