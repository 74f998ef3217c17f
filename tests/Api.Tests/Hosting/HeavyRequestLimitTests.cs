using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Hosting;

/// <summary>A host whose clients may make two heavy requests and then one a minute.</summary>
public sealed class HeavyLimitsFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:HeavyRequestBurst"] = "2",
        ["Api:HeavyRequestsPerMinute"] = "1",
    };
}

/// <summary>
/// Requests that read a whole audience have a per-client allowance of their own: a loop of segment counts is refused
/// past it, while the same key's ordinary requests and another client's counts are served.
/// </summary>
public sealed class HeavyRequestLimitTests(HeavyLimitsFixture api) : IClassFixture<HeavyLimitsFixture>
{
    [Fact]
    public async Task ALoopOfSegmentCountsIsRefusedPastTheClientsHeavyAllowanceAndNothingElseIs()
    {
        using var looper = await api.CreateTenantAsync(credits: 0);
        using var other = await api.CreateTenantAsync(credits: 0);
        var segment = await SegmentAsync(looper);
        var otherSegment = await SegmentAsync(other);

        var counts = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            counts.Add(await looper.Http.GetAsync($"/segments/{segment}/count"));
        }

        Assert.All(counts.Take(2), c => Assert.Equal(HttpStatusCode.OK, c.StatusCode));
        var refused = await counts[3].ReadProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("heavy requests", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(counts[3].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "no Retry-After");
        // A preview shares the allowance; reading the segment does not.
        await (await looper.Http.PostAsJsonAsync("/segments/preview", new { filter = new { field = "phone", op = "prefix", value = "+1" } }))
            .ReadProblemAsync(HttpStatusCode.TooManyRequests);
        await (await looper.Http.GetAsync($"/segments/{segment}")).ReadJsonAsync(HttpStatusCode.OK);
        await (await other.Http.GetAsync($"/segments/{otherSegment}/count")).ReadJsonAsync(HttpStatusCode.OK);
    }

    private static async Task<Guid> SegmentAsync(Tenant tenant) =>
        (await (await tenant.Http.PostAsJsonAsync("/segments", new { name = "all", filter = new { field = "phone", op = "prefix", value = "+1" } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
}
