using System.Net;
using System.Security.Cryptography;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// The Api on Kestrel (so callers have addresses; from loopback, a trusted proxy, X-Forwarded-For names them) with a
/// small allowance of failed authentications per address, and its key lookups logged.
/// </summary>
public sealed class FailedAuthenticationFixture : ApiFixture
{
    public const int Burst = 5;
    public const int MaxDelayedRefusals = 2;

    protected override bool ListenOnKestrel => true;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:FailedAuthenticationBurst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api:FailedAuthenticationsPerSecond"] = "1",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information",
        ["Api:HealthRequestsPerSecond"] = "2",
        ["Api:RefusalDelay"] = "00:00:01",
        ["Api:MaxDelayedRefusals"] = MaxDelayedRefusals.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Api:PublicBaseUrl"] = PublicBaseUrl,
        ["Twilio:AuthToken"] = TwilioAuthToken,
    };

    public const string PublicBaseUrl = "https://sms.example.test";
    public const string TwilioAuthToken = "failed-authentication-token";
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

        // A new random key each time: no cache can help, only the address. The burst one by one, then 25 at once.
        var failures = new List<HttpResponseMessage>();
        for (var i = 0; i < FailedAuthenticationFixture.Burst; i++)
        {
            using var forger = api.From(Forger, RandomKey());
            failures.Add(await forger.GetAsync("/credits"));
        }

        var flood = await Task.WhenAll(Enumerable.Range(0, 25).Select(async _ =>
        {
            using var forger = api.From(Forger, RandomKey());
            return await forger.GetAsync("/credits");
        }));

        var lookups = api.KeyLookups - lookupsBefore;
        Assert.All(failures, a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        // At once, they cannot all pass on a failure left: each takes one before its key is looked up.
        var refused = flood.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(refused.Count, 23, 25);
        var problem = await refused[0].ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("failed authentications", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
        // Api:MaxDelayedRefusals (2) are held Api:RefusalDelay first; the rest are answered at once and their connection closed.
        Assert.InRange(refused.Count(a => a.Headers.ConnectionClose == true), refused.Count - FailedAuthenticationFixture.MaxDelayedRefusals, refused.Count);
        // One lookup per key that was let through (a refill may let one or two more in), not 30.
        Assert.InRange(lookups, FailedAuthenticationFixture.Burst, FailedAuthenticationFixture.Burst + 2);

        using var elsewhere = api.From("198.51.100.7", tenant.ApiKey);
        await (await elsewhere.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ForgedTwilioCallbacksFromOneAddressAreRefusedPastTheAllowanceWhileSignedOnesAreHandled()
    {
        var fields = new Dictionary<string, string> { ["MessageSid"] = "SM" + new string('c', 32), ["MessageStatus"] = "delivered" };
        var signature = TwilioRequestSignature.Compute(FailedAuthenticationFixture.TwilioAuthToken, FailedAuthenticationFixture.PublicBaseUrl + StatusCallback, fields);

        var forged = new List<HttpStatusCode>();
        for (var i = 0; i < FailedAuthenticationFixture.Burst; i++)
        {
            using var forger = api.From("203.0.113.21");
            forged.Add(await PostCallbackAsync(forger, fields, "forged" + i));
        }

        var flood = await Task.WhenAll(Enumerable.Range(0, 15).Select(async i =>
        {
            using var forger = api.From("203.0.113.21");
            return await PostCallbackAsync(forger, fields, "flood" + i);
        }));

        Assert.All(forged, status => Assert.Equal(HttpStatusCode.Forbidden, status));
        Assert.InRange(flood.Count(status => status == HttpStatusCode.TooManyRequests), 13, 15);
        // Twilio's own, from another address, many in a burst: none refused, because its signatures hold.
        using var twilio = api.From("198.51.100.21");
        for (var i = 0; i < 3 * FailedAuthenticationFixture.Burst; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, await PostCallbackAsync(twilio, fields, signature));
        }
    }

    [Fact]
    public async Task ReadinessDetailsGoOnlyToThisMachineAndTheAdminKeyAndEveryoneElseSeesStatuses()
    {
        using var stranger = api.From("203.0.113.31");
        using var operatorElsewhere = api.From("203.0.113.32");
        operatorElsewhere.DefaultRequestHeaders.Add("X-Admin-Key", ApiFixture.AdminKey);
        using var local = api.FromThisMachine();

        var hidden = await (await stranger.GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK);
        var toOperator = await (await operatorElsewhere.GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK);
        var toLocal = await (await local.GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Healthy", hidden.GetProperty("status").GetString());
        var checks = hidden.GetProperty("checks").EnumerateObject().ToList();
        Assert.Contains(checks, check => check.Name == "postgresql");
        Assert.All(checks, check => Assert.False(check.Value.TryGetProperty("description", out _), check.ToString()));
        Assert.True(toOperator.GetProperty("checks").GetProperty("postgresql").TryGetProperty("description", out _));
        Assert.True(toLocal.GetProperty("checks").GetProperty("postgresql").TryGetProperty("description", out _));
    }

    [Fact]
    public async Task AFloodOfReadinessProbesRunsTheChecksOnceASecondAndIsLimitedPerAddress()
    {
        using var prober = api.From("203.0.113.41");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++)
        {
            answers.Add(await prober.GetAsync("/health/ready"));
        }

        // Burst 4 (2 a second): the rest of the flood is refused.
        var served = answers.Where(a => a.StatusCode == HttpStatusCode.OK).ToList();
        Assert.InRange(served.Count, 4, 6);
        Assert.All(answers.Except(served), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        // Those served within the second share one run of the checks (its time is theirs), not a query each.
        var checkedAt = new HashSet<DateTimeOffset>();
        foreach (var answer in served)
        {
            checkedAt.Add((await answer.ReadJsonAsync(HttpStatusCode.OK)).GetProperty("checked_at").GetDateTimeOffset());
        }

        Assert.InRange(checkedAt.Count, 1, 2);
        // Another address has an allowance of its own.
        using var loadBalancer = api.From("198.51.100.41");
        await (await loadBalancer.GetAsync("/health/ready")).ReadJsonAsync(HttpStatusCode.OK);
    }

    private const string StatusCallback = "/webhooks/twilio/status";

    private static async Task<HttpStatusCode> PostCallbackAsync(HttpClient http, Dictionary<string, string> fields, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, StatusCallback) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioRequestSignature.HeaderName, signature);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static string RandomKey() =>
        "sk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
