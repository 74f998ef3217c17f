using System.Diagnostics.Metrics;

namespace SmsRemarketing.Scheduler.Redrive;

/// <summary>The re-driver's instruments. The meter name matches ServiceDefaults' <c>SmsRemarketing.*</c>.</summary>
internal static class RedriveTelemetry
{
    private static readonly Meter Meter = new("SmsRemarketing.Scheduler");

    public static readonly Counter<long> Redriven = Meter.CreateCounter<long>(
        "messages.redriven", "{message}", "Queued messages whose SendSmsRequested was published again.");

    private static long _queued;
    private static double _oldestQueuedAgeSeconds;

    static RedriveTelemetry()
    {
        Meter.CreateObservableGauge("messages.queued", () => Interlocked.Read(ref _queued), "{message}",
            "Messages in status queued (sampled by QueuedMessageRedriver).");
        Meter.CreateObservableGauge("messages.oldest_queued.age", () => Volatile.Read(ref _oldestQueuedAgeSeconds), "s",
            "How long the oldest queued message has been queued (sampled by QueuedMessageRedriver).");
    }

    public static void RecordQueued(long queued, double oldestAgeSeconds)
    {
        Interlocked.Exchange(ref _queued, queued);
        Volatile.Write(ref _oldestQueuedAgeSeconds, oldestAgeSeconds);
    }
}
