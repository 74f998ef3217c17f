using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>How the outbox relay runs. Bound from the <c>Outbox</c> section.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Run the relay in this process. A process that only writes rows may turn it off.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>Rows claimed and published concurrently per round trip.</summary>
    [Range(1, 5000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Relay rounds this process runs at once (each claims its own rows).</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Fallback wake-up when no signal or notification arrived (rows written by another process).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one batch may wait for the broker's confirms before the claim is released.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest pause between attempts while the broker is failing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Published rows are kept this long (for inspection), then deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan PublishedRetention { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromMinutes(1);
}
