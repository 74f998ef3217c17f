using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>The outbox's trace source and instruments (names are what OpenTelemetry is told to collect).</summary>
public static class OutboxTelemetry
{
    public const string SourceName = "SmsRemarketing.Outbox";

    internal static readonly ActivitySource ActivitySource = new(SourceName);

    internal static readonly Meter Meter = new(SourceName);

    internal static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "outbox.messages.published", "{message}", "Outbox rows confirmed by the broker.");

    internal static readonly Counter<long> PublishFailures = Meter.CreateCounter<long>(
        "outbox.messages.publish_failures", "{message}", "Publish attempts that failed and will be retried.");

    internal static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "outbox.messages.dead_lettered", "{message}", "Malformed rows moved to outbox_dead_letters.");

    internal static readonly Histogram<double> CommitToPublish = Meter.CreateHistogram<double>(
        "outbox.commit_to_publish.duration", "ms", "From the row's creation to the broker's confirm.");

    private static long _pending;
    private static double _oldestPendingAgeSeconds;

    static OutboxTelemetry()
    {
        Meter.CreateObservableGauge("outbox.messages.pending", () => Interlocked.Read(ref _pending), "{message}",
            "Rows committed but not yet published (sampled by OutboxMonitor).");
        Meter.CreateObservableGauge("outbox.oldest_pending.age", () => Volatile.Read(ref _oldestPendingAgeSeconds), "s",
            "Age of the oldest unpublished row (sampled by OutboxMonitor).");
    }

    internal static void RecordDepth(long pending, double oldestPendingAgeSeconds)
    {
        Interlocked.Exchange(ref _pending, pending);
        Volatile.Write(ref _oldestPendingAgeSeconds, oldestPendingAgeSeconds);
    }
}
