using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Api.Idempotency;

/// <summary>The <c>Idempotency-Key</c> settings, bound from the <c>Api</c> section and validated at start.</summary>
internal sealed class IdempotencyOptions
{
    public const string SectionName = "Api";

    /// <summary>How long an <c>Idempotency-Key</c> is remembered.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);
}
