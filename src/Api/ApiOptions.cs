using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Api;

/// <summary>The Api's settings, bound from the <c>Api</c> section and validated at start.</summary>
internal sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The key of the admin endpoints (<c>X-Admin-Key</c>). A secret: set it from the environment (<c>ADMIN_KEY</c>).</summary>
    [Required(ErrorMessage = "Api:AdminKey is required (set ADMIN_KEY or Api__AdminKey).")]
    [MinLength(16, ErrorMessage = "Api:AdminKey must be at least 16 characters.")]
    public string AdminKey { get; set; } = "";

    /// <summary>Larger request bodies are refused with 413. Leads and templates are small; 64 KB is generous.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Requests per second each API key (or, unauthenticated, each IP address) may sustain.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitPerSecond { get; set; } = 2000;

    /// <summary>Requests a key may make in a burst above the sustained rate.</summary>
    [Range(1, 1_000_000)]
    public int RateLimitBurst { get; set; } = 4000;

    /// <summary>Browser origins allowed to call the Api (CORS). Empty: none.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Redirect HTTP to HTTPS; for production behind no TLS-terminating proxy.</summary>
    public bool HttpsRedirection { get; set; }

    /// <summary>
    /// How long this process trusts a cached API key lookup. Deactivation and rotation through this process take
    /// effect at once; through another replica, within this time. Zero disables the cache.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest <c>custom_fields</c> object of a lead, in bytes of JSON.</summary>
    [Range(2, 1024 * 1024)]
    public int MaxCustomFieldsBytes { get; set; } = 8 * 1024;

    /// <summary>How long an <c>Idempotency-Key</c> is remembered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The public URL of this Api's root as Twilio calls it (e.g. <c>https://sms.example.com</c>): Twilio signs the URL
    /// it was given, so webhooks rebuild it from this and the request's path and query, never from the Host header.
    /// Unset: every webhook is refused (403).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}
