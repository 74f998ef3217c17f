using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Data.Credits;

/// <summary>
/// One change of a client's credit balance. The ledger is append-only; the balance on <see cref="Client"/> is
/// kept equal to the sum of these rows by a database trigger.
/// </summary>
public sealed class CreditTransaction
{
    public long Id { get; set; }
    public Guid ClientId { get; set; }
    public Client? Client { get; set; }

    /// <summary>
    /// Positive for purchases, refunds and releases, negative for debits and reservations. The balance is the sum of all
    /// but reservations and releases; what the client may spend is the sum of all but the debits of campaign messages
    /// (their reservation paid for them already). The database keeps both on <see cref="Client"/>.
    /// </summary>
    public long Amount { get; set; }

    public CreditTransactionKind Kind { get; set; }

    /// <summary>The caller's reference for a purchase; unique per client, so that adding credits is idempotent.</summary>
    public string? Reference { get; set; }

    /// <summary>The message an SMS debit or refund belongs to.</summary>
    public Guid? MessageId { get; set; }
    public Message? Message { get; set; }

    /// <summary>The campaign a reservation, a release, or a debit of one of its messages belongs to.</summary>
    public Guid? CampaignId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

internal sealed class CreditTransactionConfiguration : IEntityTypeConfiguration<CreditTransaction>
{
    public void Configure(EntityTypeBuilder<CreditTransaction> builder)
    {
        builder.Property(t => t.Id).UseIdentityAlwaysColumn();
        builder.Property(t => t.Kind).HasConversion(SnakeCaseEnumConverter.For<CreditTransactionKind>()).HasMaxLength(16);
        builder.Property(t => t.Reference).HasMaxLength(200);
        builder.HasOne(t => t.Client).WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Cascade);
        // The ledger outlives a deleted lead's messages: the row stays (the balance depends on it), unlinked.
        builder.HasOne(t => t.Message).WithMany().HasForeignKey(t => t.MessageId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(t => new { t.ClientId, t.CreatedAt });
        builder.HasIndex(t => new { t.ClientId, t.Reference }).IsUnique().HasFilter("reference IS NOT NULL");
        // One debit per message, whatever the redeliveries: the database refuses a second.
        builder.HasIndex(t => new { t.MessageId, t.Kind }).IsUnique().HasFilter("message_id IS NOT NULL");
        // A campaign's account (reserved = spent + released + held) is summed from its rows.
        builder.HasIndex(t => new { t.CampaignId, t.Kind }).HasFilter("campaign_id IS NOT NULL");
        builder.HasOne<Campaigns.Campaign>().WithMany().HasForeignKey(t => t.CampaignId).OnDelete(DeleteBehavior.SetNull);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_credit_transactions_amount_not_zero", "amount <> 0");
            t.HasCheckConstraint("ck_credit_transactions_kind",
                "kind IN ('purchase', 'sms_debit', 'refund', 'adjustment', 'reserve', 'release')");
            t.HasCheckConstraint("ck_credit_transactions_hold",
                "(kind <> 'reserve' OR (amount < 0 AND campaign_id IS NOT NULL)) AND (kind <> 'release' OR (amount > 0 AND campaign_id IS NOT NULL))");
        });
    }
}
