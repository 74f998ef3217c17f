using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SmsRemarketing.Data.Triggers;

/// <summary>
/// One <c>lead_age</c> sweep of a trigger for a local date of its client. The row is inserted by whoever asks for
/// the sweep first (the Scheduler when it emits the command, or the Api), so replicas emit one command per day;
/// it is what a restarted Scheduler reads to catch up on a day it missed.
/// </summary>
public sealed class SweepRun
{
    public Guid TriggerId { get; set; }
    public Trigger? Trigger { get; set; }
    public DateOnly LocalDate { get; set; }
    public DateTimeOffset RequestedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Set when the whole sweep was skipped (e.g. <c>trigger_inactive</c>).</summary>
    public string? Outcome { get; set; }
    public int Queued { get; set; }
    public int Skipped { get; set; }
}

internal sealed class SweepRunConfiguration : IEntityTypeConfiguration<SweepRun>
{
    public void Configure(EntityTypeBuilder<SweepRun> builder)
    {
        builder.HasKey(r => new { r.TriggerId, r.LocalDate });
        builder.Property(r => r.Outcome).HasMaxLength(32);
        builder.HasOne(r => r.Trigger).WithMany().HasForeignKey(r => r.TriggerId).OnDelete(DeleteBehavior.Cascade);
    }
}
