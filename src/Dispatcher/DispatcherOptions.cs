using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Dispatcher;

/// <summary>How the Dispatcher sends. Bound from the <c>Dispatcher</c> section.</summary>
public sealed class DispatcherOptions
{
    public const string SectionName = "Dispatcher";

    /// <summary>
    /// Messages one Dispatcher sends at once. Most of a send is waiting (for the shared claim, for Twilio, for the
    /// shared 'sent' mark), so this is far above the core count.
    /// </summary>
    [Range(1, 1000)]
    public int ConcurrentMessageLimit { get; set; } = 128;

    /// <summary>
    /// Campaign messages one Dispatcher sends at once, on their own lane beside <see cref="ConcurrentMessageLimit"/>:
    /// a campaign drains at this pace while manual sends and triggers keep their own slots.
    /// </summary>
    [Range(1, 1000)]
    public int CampaignConcurrentMessageLimit { get; set; } = 64;

    /// <summary>The most claims (or 'sent' marks) that share one database transaction.</summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 100;

    /// <summary>
    /// Requests to Twilio per message before a transient failure (429, 5xx, no connection) is final. A 5xx is looked
    /// up before the next request, as it may follow a create.
    /// </summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between attempts, Retry-After included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After an answer that may follow a create (lost, unreadable, or a 5xx), how long to wait before asking Twilio
    /// whether the message exists, so a request still being processed has time to appear.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ReconcileDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A message in <c>sending</c> for longer than this lost its Dispatcher; the reconciler takes it over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Messages per second per sender. 0 means Twilio's documented default for the sender's type: 1 for a long code,
    /// 3 for a toll-free number, 30 for a short code, 100 for a Messaging Service.
    /// </summary>
    [Range(0, 100_000)]
    public int SenderMessagesPerSecond { get; set; }
}
