using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Scheduler.Redrive;

/// <summary>When a <c>queued</c> message's event is published again (section <c>Scheduler</c>).</summary>
internal sealed class QueuedMessageRedriveOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>
    /// A message <c>queued</c> this long (or this long since it was last re-driven) gets its event again. Well above
    /// the queue-to-claim latency of a loaded Dispatcher, so that a copy is the exception.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RedriveAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often stranded messages are looked for (and the oldest-queued gauge is sampled).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RedriveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most messages one Scheduler re-drives per <see cref="RedriveInterval"/>: the re-driver's rate limit.</summary>
    [Range(1, 10_000)]
    public int RedriveBatchSize { get; set; } = 500;
}
