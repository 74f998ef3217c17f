using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Data.Consent;

/// <summary>
/// One change of a phone number's consent to a client (an opt-out, an opt-in, a double opt-in request or confirmation),
/// with what caused it: the evidence a client shows to prove consent, or that it honoured a STOP. Append-only, and kept
/// by the phone number: deleting the lead unlinks it (<see cref="LeadId"/> null) but keeps it.
/// </summary>
public sealed class ConsentEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }

    /// <summary>E.164.</summary>
    public required string Phone { get; set; }

    /// <summary>The client's lead with <see cref="Phone"/> when the event happened, while that lead exists.</summary>
    public Guid? LeadId { get; set; }
    public Lead? Lead { get; set; }
    public ConsentEventKind Kind { get; set; }
    public ConsentEventSource Source { get; set; }

    /// <summary>The keyword texted, the Twilio message SID, or the client's note.</summary>
    public string? Detail { get; set; }

    /// <summary>For a consent the client recorded through the Api: how it was given (e.g. <c>web_form</c>).</summary>
    public string? ConsentSource { get; set; }

    /// <summary>For a consent the client recorded through the Api: when it was given.</summary>
    public DateTimeOffset? ConsentAt { get; set; }

    /// <summary>For a consent the client recorded through the Api: the wording agreed to, or a reference to it.</summary>
    public string? ConsentText { get; set; }

    public DateTimeOffset OccurredAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class ConsentEventConfiguration : IEntityTypeConfiguration<ConsentEvent>
{
    public void Configure(EntityTypeBuilder<ConsentEvent> builder)
    {
        builder.ToTable("consent_events", t =>
        {
            t.HasCheckConstraint("ck_consent_events_kind", "kind IN ('opt_out', 'opt_in', 'confirmation_requested', 'confirmed')");
            t.HasCheckConstraint("ck_consent_events_source", $"source IN ({ConsentEventSources.SqlList})");
        });
        builder.Property(e => e.Phone).HasMaxLength(16);
        builder.Property(e => e.Kind).HasConversion(SnakeCaseEnumConverter.For<ConsentEventKind>()).HasMaxLength(32);
        builder.Property(e => e.Source).HasConversion(v => ConsentEventSources.Name(v), v => ConsentEventSources.Parse(v)).HasMaxLength(32);
        builder.Property(e => e.Detail).HasMaxLength(500);
        builder.Property(e => e.ConsentSource).HasMaxLength(64);
        builder.Property(e => e.ConsentText).HasMaxLength(2000);
        builder.HasOne(e => e.Client).WithMany().HasForeignKey(e => e.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(e => e.Lead).WithMany().HasForeignKey(e => e.LeadId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(e => new { e.ClientId, e.Phone, e.OccurredAt });
        builder.HasIndex(e => new { e.LeadId, e.OccurredAt });
    }
}
