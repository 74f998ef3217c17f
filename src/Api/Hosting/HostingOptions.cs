using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Api.Hosting;

/// <summary>What the Api's pipeline accepts (body size, origins, scheme), bound from the <c>Api</c> section and validated at start.</summary>
internal sealed class HostingOptions
{
    public const string SectionName = "Api";

    /// <summary>Larger request bodies are refused with 413. Leads and templates are small; 64 KB is generous.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Browser origins allowed to call the Api (CORS). Empty: none.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>Redirect HTTP to HTTPS; for production behind no TLS-terminating proxy.</summary>
    public bool HttpsRedirection { get; set; }

    /// <summary>
    /// Addresses of the proxies in front of the Api whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
    /// believed, so that limits per address count the caller, not the proxy. Loopback is always trusted.
    /// </summary>
    [TrustedProxyAddresses]
    public string[] TrustedProxies { get; set; } = [];
}

/// <summary>Each entry an IP address (the start-up check, so a typo fails fast rather than trusting nobody).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TrustedProxyAddressesAttribute : ValidationAttribute
{
    public TrustedProxyAddressesAttribute()
        : base("Api:TrustedProxies must list IP addresses.")
    {
    }

    public override bool IsValid(object? value) => value is not string[] addresses || addresses.All(a => System.Net.IPAddress.TryParse(a, out _));
}
