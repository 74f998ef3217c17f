using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Scheduler.Deferred;

/// <summary>How deferred (<c>scheduled</c>) messages are released (section <c>Scheduler</c>).</summary>
internal sealed class DeferredReleaseOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>How often due messages are looked for: a deferred message goes out at most this long after it is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReleaseInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Messages claimed per transaction.</summary>
    [Range(1, 10_000)]
    public int ReleaseBatchSize { get; set; } = 200;
}
