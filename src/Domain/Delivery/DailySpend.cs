using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Triggers;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// What a client has spent today (its local day): the SMS and credits debited and not refunded, and, read before the
/// claim (at queue and release), the messages already queued for the Dispatcher, which it will debit. Counted only for
/// a client with a daily cap; the caller adds each message it lets through, so one unit of work counts its own.
/// </summary>
public sealed class DailySpend(long messages, long credits, DateTimeOffset resetsAt)
{
    public long Messages { get; private set; } = messages;
    public long Credits { get; private set; } = credits;

    /// <summary>The next local midnight of the client's time zone: when the caps start again.</summary>
    public DateTimeOffset ResetsAt { get; } = resetsAt;

    public void Add(long credits)
    {
        Messages++;
        Credits += credits;
    }

    /// <summary>The UTC range [start, end) of the client's local day at <paramref name="now"/>.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Today(string timezone, DateTimeOffset now)
    {
        var zone = LocalDates.Zone(timezone);
        return LocalDates.UtcRange(LocalDates.Today(now, zone), zone);
    }

    /// <summary>
    /// Today's debits not refunded (on <c>credit_transactions (client_id, created_at)</c>), and the queued messages not
    /// yet debited (few: the Dispatcher drains them), so a burst of sends is stopped at queue, not only at the claim.
    /// </summary>
    public static async Task<DailySpend> ReadAsync(SmsDbContext db, Guid clientId, string timezone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (start, end) = Today(timezone, now);
        var row = await db.Database.SqlQuery<SpendRow>($"""
            WITH debited AS (
                SELECT count(*) AS messages, coalesce(sum(-d.amount), 0)::bigint AS credits FROM credit_transactions d
                WHERE d.client_id = {clientId} AND d.kind = 'sms_debit' AND d.created_at >= {start}
                  AND NOT EXISTS (SELECT 1 FROM credit_transactions r WHERE r.message_id = d.message_id AND r.kind = 'refund')),
            undebited AS (
                SELECT count(*) AS messages, coalesce(sum(m.credit_cost), 0)::bigint AS credits FROM messages m
                WHERE m.client_id = {clientId} AND m.status = 'queued'
                  AND NOT EXISTS (SELECT 1 FROM credit_transactions d WHERE d.message_id = m.id AND d.kind = 'sms_debit'))
            SELECT debited.messages + undebited.messages AS messages, debited.credits + undebited.credits AS credits
            FROM debited, undebited
            """).SingleAsync(cancellationToken);
        return new DailySpend(row.Messages, row.Credits, end);
    }

    /// <summary>The refusal when one more message costing <paramref name="cost"/> would pass a cap of <paramref name="policy"/>; null when it would not.</summary>
    public (string Rule, string Detail)? Refusal(DestinationPolicy policy, int cost)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var resets = ResetsAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (policy.DailyMessageCap is { } maxMessages && Messages + 1 > maxMessages)
        {
            return (DestinationPolicy.DailyMessageCapRule,
                $"{DestinationPolicy.DailyMessageCapRule}: the client's daily cap of {maxMessages} SMS is reached ({Messages} today); it resets at {resets}.");
        }

        if (policy.DailyCreditCap is { } maxCredits && Credits + cost > maxCredits)
        {
            return (DestinationPolicy.DailyCreditCapRule,
                $"{DestinationPolicy.DailyCreditCapRule}: the message costs {cost} credits and the client's daily cap of {maxCredits} credits has {Math.Max(0, maxCredits - Credits)} left; it resets at {resets}.");
        }

        return null;
    }

    private sealed record SpendRow(long Messages, long Credits);
}
