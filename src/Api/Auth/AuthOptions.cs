using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Api.Auth;

/// <summary>The keys' settings, bound from the <c>Api</c> section (where every Api setting has always been) and validated at start.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Api";

    /// <summary>The key of the admin endpoints (<c>X-Admin-Key</c>). A secret: set it from the environment (<c>ADMIN_KEY</c>).</summary>
    [Required(ErrorMessage = "Api:AdminKey is required (set ADMIN_KEY or Api__AdminKey).")]
    [MinLength(16, ErrorMessage = "Api:AdminKey must be at least 16 characters.")]
    public string AdminKey { get; set; } = "";

    /// <summary>
    /// How long this process trusts a cached API key lookup. Deactivation and rotation take effect at once here and
    /// within a second on every other replica (<see cref="ApiKeyChangeListener"/>); this bounds it only while that
    /// listener has lost its connection. Zero disables the cache.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a prefix no client has is remembered as unknown: a revoked or forged key sent again and again costs
    /// one query per this time. Safe to keep: a new key always comes with a new random prefix. Zero disables it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan UnknownApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this many unknown prefixes are remembered at once (a flood of random keys cannot grow memory).</summary>
    [Range(0, 1_000_000)]
    public int MaxUnknownApiKeys { get; set; } = 10_000;

    /// <summary>
    /// Failed authentications an address may have in a burst (401s, or 403s for a Twilio signature) before its keyed
    /// requests and its webhook posts get 429 unlooked-up.
    /// </summary>
    [Range(1, 1_000_000)]
    public int FailedAuthenticationBurst { get; set; } = 200;

    /// <summary>How fast an address earns back failed authentications.</summary>
    [Range(1, 1_000_000)]
    public int FailedAuthenticationsPerSecond { get; set; } = 20;

    /// <summary>
    /// Failed authentications of all addresses together in a burst; past it (a flood from many addresses), a key this
    /// Api has not seen belong to a client is refused with 429 before its look-up, while known keys are served.
    /// </summary>
    [Range(1, 10_000_000)]
    public int GlobalFailedAuthenticationBurst { get; set; } = 2_000;

    /// <summary>How fast all addresses together earn back failed authentications.</summary>
    [Range(1, 1_000_000)]
    public int GlobalFailedAuthenticationsPerSecond { get; set; } = 200;

    /// <summary>
    /// How long a refusal of such an address is held before its 429 is sent: a flood on busy connections slows to a
    /// request per connection per this time. Zero answers at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan RefusalDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Refusals held at once, all addresses together; past this a refusal is answered at once and its connection closed.</summary>
    [Range(0, 100_000)]
    public int MaxDelayedRefusals { get; set; } = 1_000;
}
