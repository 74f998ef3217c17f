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
    /// How long this process trusts a cached API key lookup. Deactivation and rotation through this process take
    /// effect at once; through another replica, within this time. Zero disables the cache.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
