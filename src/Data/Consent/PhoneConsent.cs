using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Data.Consent;

/// <summary>
/// The consent of one phone number to one client: whether it opted out, and (double opt-in) whether it was asked to
/// confirm and did. Keyed by the number, not the lead, so it outlives a deleted lead and binds any lead later created
/// with the number. The database copies it onto the client's lead with that number (<see cref="Leads.Lead.OptedOutAt"/>,
/// <see cref="Leads.Lead.AwaitingConfirmationSince"/>); only <c>Domain.Consent.PhoneConsents</c> writes it.
/// </summary>
public sealed class PhoneConsent
{
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }

    /// <summary>E.164.</summary>
    public required string Phone { get; set; }

    /// <summary>Set while the number is opted out: nothing is sent to it.</summary>
    public DateTimeOffset? OptedOutAt { get; set; }

    /// <summary>What recorded the opt-out in force; it decides who may lift it (<see cref="ConsentEventSources.RecordedByThePerson"/>).</summary>
    public ConsentEventSource? OptOutSource { get; set; }

    public string? OptOutDetail { get; set; }

    /// <summary>When the one double opt-in confirmation SMS was queued to the number (never twice).</summary>
    public DateTimeOffset? ConfirmationRequestedAt { get; set; }

    /// <summary>When the number answered the confirmation with an opt-in keyword.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class PhoneConsentConfiguration : IEntityTypeConfiguration<PhoneConsent>
{
    public void Configure(EntityTypeBuilder<PhoneConsent> builder)
    {
        builder.ToTable("phone_consents", t =>
        {
            t.HasCheckConstraint("ck_phone_consents_opt_out_source", "(opted_out_at IS NULL) = (opt_out_source IS NULL)");
        });
        builder.HasKey(c => new { c.ClientId, c.Phone });
        builder.Property(c => c.Phone).HasMaxLength(16);
        builder.Property(c => c.OptOutSource).HasConversion(
            v => v == null ? null : ConsentEventSources.Name(v.Value),
            v => v == null ? null : ConsentEventSources.Parse(v)).HasMaxLength(32);
        builder.Property(c => c.OptOutDetail).HasMaxLength(500);
        builder.HasOne(c => c.Client).WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        // The suppression list: a client's opted-out numbers, most recent first.
        builder.HasIndex(c => new { c.ClientId, c.OptedOutAt }).HasFilter("opted_out_at IS NOT NULL");
    }
}
