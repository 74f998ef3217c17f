using System.Net;
using SmsRemarketing.Api.Tests.Hosting;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// Floods against the per-key token bucket (a burst of 3, then 1 a second): the flooding key gets 429 problem details
/// with Retry-After, while a key flooding alongside it, and a victim whose key is being forged, are served as usual.
/// </summary>
public sealed class FloodTests(TightLimitsFixture api) : IClassFixture<TightLimitsFixture>
{
    [Fact]
    public async Task AConcurrentBurstOnOneKeyIsLimitedWhileAnotherKeyIsServedMeanwhile()
    {
        using var flooder = await api.CreateTenantAsync(credits: 0, name: "flooder");
        using var bystander = await api.CreateTenantAsync(credits: 0, name: "bystander");

        var flood = Enumerable.Range(0, 30).Select(_ => flooder.Http.GetAsync("/credits")).ToList();
        var served = await bystander.Http.GetAsync("/credits");
        var answers = await Task.WhenAll(flood);

        await served.ReadJsonAsync(HttpStatusCode.OK);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{a.StatusCode}"));
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.True(limited.Count >= 20, $"only {limited.Count} of 30 were limited");
        foreach (var answer in limited)
        {
            await answer.ReadProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.True(answer.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
        }
    }

    [Fact]
    public async Task FloodingWithAVictimsForgedKeyDoesNotSpendTheVictimsBudget()
    {
        using var victim = await api.CreateTenantAsync(credits: 0, name: "victim");
        using var forger = api.WithApiKey(victim.ApiKey[..12] + new string('F', victim.ApiKey.Length - 12));

        var forged = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => forger.GetAsync("/credits")));

        Assert.All(forged, a => Assert.True(a.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"{a.StatusCode}"));
        Assert.Contains(forged, a => a.StatusCode == HttpStatusCode.TooManyRequests);
        for (var i = 0; i < 3; i++)
        {
            // The victim's whole burst is still there: the forged calls were counted against the caller's address.
            await (await victim.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
        }
    }
}
