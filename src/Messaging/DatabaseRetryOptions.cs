using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Messaging;

/// <summary>
/// How the consumers retry a transient database fault (section <c>DatabaseRetry</c>): backoff from
/// <see cref="MinDelay"/> doubling to <see cref="MaxDelay"/>, then every <see cref="MaxDelay"/> for as long as the
/// database is away.
/// </summary>
public sealed class DatabaseRetryOptions
{
    public const string SectionName = "DatabaseRetry";

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
