using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Data.Leads;

/// <summary>A person a client may text. The phone number is E.164 and unique within the client.</summary>
public sealed class Lead
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }

    /// <summary>E.164, e.g. <c>+14155550123</c>.</summary>
    public required string Phone { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }

    /// <summary>Any JSON object the client attaches; template variables read from it.</summary>
    public JsonElement CustomFields { get; set; } = EmptyObject;

    /// <summary>IANA time zone of the lead, when known.</summary>
    public string? Timezone { get; set; }

    /// <summary>BCP 47 language tag, e.g. <c>en-US</c>.</summary>
    public string? Locale { get; set; }

    /// <summary>
    /// Set while the lead's number is opted out from the client (STOP); no message is sent to it while it is set.
    /// Kept by the database from the number's <see cref="Consent.PhoneConsent"/> (on insert, on a change of phone, and
    /// on every change of the number's consent); never write it: a written value is replaced by the number's.
    /// </summary>
    public DateTimeOffset? OptedOutAt { get; private set; }

    /// <summary>
    /// Double opt-in: set while the lead waits to confirm by replying YES; only the confirmation SMS is sent to it until
    /// then. Set by the database when a lead is created, without consent proof (<see cref="ConsentSource"/> and
    /// <see cref="ConsentAt"/>), for a client with double opt-in whose number has not confirmed before; cleared when the
    /// number confirms.
    /// </summary>
    public DateTimeOffset? AwaitingConfirmationSince { get; private set; }

    /// <summary>How the lead gave consent to be texted (e.g. <c>web_form</c>, <c>checkout</c>, <c>keyword</c>).</summary>
    public string? ConsentSource { get; set; }

    /// <summary>When the lead gave consent.</summary>
    public DateTimeOffset? ConsentAt { get; set; }

    /// <summary>The opt-in wording the lead agreed to, or a reference to it (a form version, a URL, a recording id).</summary>
    public string? ConsentText { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class LeadConfiguration : IEntityTypeConfiguration<Lead>
{
    public void Configure(EntityTypeBuilder<Lead> builder)
    {
        builder.Property(l => l.Phone).HasMaxLength(16);
        builder.Property(l => l.FirstName).HasMaxLength(100);
        builder.Property(l => l.LastName).HasMaxLength(100);
        builder.Property(l => l.Email).HasMaxLength(320);
        builder.Property(l => l.CustomFields).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        builder.Property(l => l.Timezone).HasMaxLength(64);
        builder.Property(l => l.Locale).HasMaxLength(35);
        builder.Property(l => l.ConsentSource).HasMaxLength(64);
        builder.Property(l => l.ConsentText).HasMaxLength(2000);
        // The suppression list: a client's opted-out leads.
        builder.HasIndex(l => new { l.ClientId, l.OptedOutAt }).HasFilter("opted_out_at IS NOT NULL");
        // Both are the database's (see the properties): read back after every save, never written.
        foreach (var kept in new[] { builder.Property(l => l.OptedOutAt), builder.Property(l => l.AwaitingConfirmationSince) })
        {
            kept.ValueGeneratedOnAddOrUpdate();
            kept.Metadata.SetBeforeSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
            kept.Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        }
        builder.HasOne(l => l.Client).WithMany().HasForeignKey(l => l.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(l => new { l.ClientId, l.Phone }).IsUnique();
        // Serves both "leads of a client, newest first" and the lead_age sweep's created_at range scan.
        builder.HasIndex(l => new { l.ClientId, l.CreatedAt });
        // GET /leads?email=: one client's leads with that address (a lead without one costs no entry).
        builder.HasIndex(l => new { l.ClientId, l.Email }).HasFilter("email IS NOT NULL");
        // Segments: custom_fields @> {"key": value} (eq, in) is the form this index serves. jsonb_path_ops, not the
        // default jsonb_ops: a smaller, faster index for @>, and segments use no key-existence operator (? ?| ?&).
        builder.HasIndex(l => l.CustomFields).HasMethod("gin").HasOperators("jsonb_path_ops");
        builder.ToTable(t => t.HasCheckConstraint("ck_leads_custom_fields_object", "jsonb_typeof(custom_fields) = 'object'"));
    }
}
