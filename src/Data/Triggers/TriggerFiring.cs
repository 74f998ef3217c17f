using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Data.Triggers;

/// <summary>
/// That a trigger fired for a lead, once: the primary key (trigger, lead) makes a redelivered event, a repeated
/// sweep, a second Scheduler replica or a repeated webhook call unable to queue a second message. A firing that
/// queued nothing keeps the reason (<see cref="Outcome"/>), so a skip is a record, not an error.
/// </summary>
public sealed class TriggerFiring
{
    public const string PrimaryKey = "pk_trigger_firings";

    /// <summary>What happened: <c>queued</c>, or why nothing was (e.g. <c>opted_out</c>, <c>no_credit</c>).</summary>
    public const string Queued = "queued";

    /// <summary>The message was recorded as <c>scheduled</c>: deferred by the client's delivery policy, sent later.</summary>
    public const string Scheduled = "scheduled";

    public Guid TriggerId { get; set; }
    public Trigger? Trigger { get; set; }
    public Guid LeadId { get; set; }
    public Lead? Lead { get; set; }
    public Guid ClientId { get; set; }

    /// <summary>The message queued by this firing; null when it was skipped (or the message was deleted).</summary>
    public Guid? MessageId { get; set; }
    public Message? Message { get; set; }

    public required string Outcome { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset FiredAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class TriggerFiringConfiguration : IEntityTypeConfiguration<TriggerFiring>
{
    public void Configure(EntityTypeBuilder<TriggerFiring> builder)
    {
        builder.HasKey(f => new { f.TriggerId, f.LeadId });
        builder.Property(f => f.Outcome).HasMaxLength(32);
        builder.Property(f => f.Detail).HasMaxLength(1000);
        builder.HasOne(f => f.Trigger).WithMany().HasForeignKey(f => f.TriggerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(f => f.Lead).WithMany().HasForeignKey(f => f.LeadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(f => f.Message).WithMany().HasForeignKey(f => f.MessageId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(f => f.LeadId);
        builder.HasIndex(f => f.MessageId);
        builder.HasIndex(f => new { f.ClientId, f.FiredAt });
    }
}
