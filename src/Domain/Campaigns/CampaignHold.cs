using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// A campaign's reserved credits. Its account, from the ledger: reserved = spent (the debits of its messages) +
/// released + held; held pays for the messages still to be claimed. A release gives back what is held beyond the
/// cost of its messages still <c>scheduled</c> or <c>queued</c> and not yet debited, so whatever is claimed later is
/// still paid for. A refund of one of its messages goes to what the client may spend, not back to the campaign.
/// </summary>
public static class CampaignHold
{
    // Outstanding: -(reserve) - (release) + (debits, negative); a prepaid message (debited, then sent back to wait) is spent.
    private const string ReleaseSql = """
        INSERT INTO credit_transactions (client_id, amount, kind, campaign_id, created_at)
        SELECT c.client_id, held.amount, 'release', c.id, now()
        FROM campaigns c, LATERAL (
            SELECT (SELECT coalesce(sum(CASE WHEN t.kind = 'sms_debit' THEN t.amount ELSE -t.amount END), 0)
                    FROM credit_transactions t WHERE t.campaign_id = c.id AND t.kind IN ('reserve', 'release', 'sms_debit'))
                 - (SELECT coalesce(sum(m.credit_cost), 0) FROM messages m
                    WHERE m.campaign_id = c.id AND m.status IN ('scheduled', 'queued')
                      AND NOT EXISTS (SELECT 1 FROM credit_transactions d WHERE d.message_id = m.id AND d.kind = 'sms_debit')) AS amount
        ) held
        WHERE c.id = {0} AND held.amount > 0
        """;

    /// <summary>
    /// Releases what the campaign holds beyond what its unclaimed messages cost; returns the credits released. The
    /// caller holds the campaign's row locked, in a transaction begun before this statement (so the sums it reads
    /// include every release committed before the lock was taken).
    /// </summary>
    public static async Task<long> ReleaseUnneededAsync(SmsDbContext db, Guid campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var released = await db.Database.SqlQueryRaw<long>(ReleaseSql + " RETURNING amount AS \"Value\"", campaignId).ToListAsync(cancellationToken);
        return released.Sum();
    }

    /// <summary>A campaign's account: what it reserved, spent (its messages' debits), released, and had refunded to the client.</summary>
    public static async Task<CampaignAccount> AccountAsync(SmsDbContext db, Guid campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.CreditTransactions.Where(t => t.CampaignId == campaignId)
            .GroupBy(t => t.Kind).Select(g => new { Kind = g.Key, Sum = g.Sum(t => t.Amount) }).ToListAsync(cancellationToken);
        long Of(Data.Credits.CreditTransactionKind kind) => rows.SingleOrDefault(r => r.Kind == kind)?.Sum ?? 0;
        return new CampaignAccount(
            Reserved: -Of(Data.Credits.CreditTransactionKind.Reserve),
            Spent: -Of(Data.Credits.CreditTransactionKind.SmsDebit),
            Released: Of(Data.Credits.CreditTransactionKind.Release),
            Refunded: Of(Data.Credits.CreditTransactionKind.Refund));
    }
}

/// <summary>Reserved = spent + released + <see cref="Held"/>; refunds of spent messages went to the client.</summary>
public sealed record CampaignAccount(long Reserved, long Spent, long Released, long Refunded)
{
    public long Held => Reserved - Spent - Released;
}
