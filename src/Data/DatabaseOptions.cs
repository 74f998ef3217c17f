using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Data;

/// <summary>How a host's connections behave, bound from the <c>Database</c> section and validated at start.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// The longest one statement may run (lock waits included) before PostgreSQL cancels it; zero: no limit. The Api
    /// sets one, so no request can hold a connection and its locks for long; the background hosts, whose batches are
    /// theirs to size, do not.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.Zero;
}
