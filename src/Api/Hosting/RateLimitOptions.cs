using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Api.Hosting;

/// <summary>The token bucket of each key, bound from the <c>Api</c> section and validated at start.</summary>
internal sealed class RateLimitOptions
{
    public const string SectionName = "Api";

    /// <summary>Requests per second each API key (or, unauthenticated, each IP address) may sustain.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 2000;

    /// <summary>Requests a key may make in a burst above the sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = 4000;

    /// <summary>Heavy requests (segment counts and previews, campaign estimates and schedules, sweeps) a client may make in a burst.</summary>
    [Range(1, 100_000)]
    public int HeavyRequestBurst { get; set; } = 10;

    /// <summary>Heavy requests a client may sustain per minute.</summary>
    [Range(1, 100_000)]
    public int HeavyRequestsPerMinute { get; set; } = 30;

    /// <summary>
    /// <c>/health/*</c> requests per second from one address (a burst of twice that). Probes come once every few
    /// seconds; readiness answers are reused for a second anyway (<c>Health:ReadinessCacheDuration</c>).
    /// </summary>
    [Range(1, 100_000)]
    public int HealthRequestsPerSecond { get; set; } = 10;
}
