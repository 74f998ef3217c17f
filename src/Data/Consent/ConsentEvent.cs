using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Data.Consent;

/// <summary>
/// One opt-out or opt-in of a lead, with what caused it: the history a client shows to prove consent. Append-only.
/// </summary>
public sealed class ConsentEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }
    public Guid LeadId { get; set; }
    public Lead? Lead { get; set; }
    public ConsentEventKind Kind { get; set; }
    public ConsentEventSource Source { get; set; }

    /// <summary>The keyword texted, the Twilio message SID, or the client's note.</summary>
    public string? Detail { get; set; }

    public DateTimeOffset OccurredAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class ConsentEventConfiguration : IEntityTypeConfiguration<ConsentEvent>
{
    public void Configure(EntityTypeBuilder<ConsentEvent> builder)
    {
        builder.ToTable("consent_events", t =>
        {
            t.HasCheckConstraint("ck_consent_events_kind", "kind IN ('opt_out', 'opt_in')");
            t.HasCheckConstraint("ck_consent_events_source", "source IN ('keyword', 'twilio_error_21610', 'api')");
        });
        builder.Property(e => e.Kind).HasConversion(SnakeCaseEnumConverter.For<ConsentEventKind>()).HasMaxLength(16);
        builder.Property(e => e.Source).HasConversion(v => ConsentEventSources.Name(v), v => ConsentEventSources.Parse(v)).HasMaxLength(32);
        builder.Property(e => e.Detail).HasMaxLength(500);
        builder.HasOne(e => e.Client).WithMany().HasForeignKey(e => e.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Lead).WithMany().HasForeignKey(e => e.LeadId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.LeadId, e.OccurredAt });
        builder.HasIndex(e => e.ClientId);
    }
}
