using System.Globalization;
using Npgsql;

namespace SmsRemarketing.Chaos;

/// <summary>
/// The campaign's promises, checked once it is completed, straight from the tables:
/// <list type="bullet">
/// <item>one message per (campaign, lead): each recipient not excluded has exactly one message, an excluded one none,
/// and no message of the campaign lacks its recipient;</item>
/// <item>reserved = spent + released, from credit_transactions (reserve, the debits of its messages, release: the
/// same sums as <c>CampaignHold.AccountAsync</c>); a refund of one of its messages went to the client's balance, not
/// back to the hold, so it is in neither side; the reservation is the cost of its messages (the estimate is the
/// charge), nothing is left held (the client's credits_reserved is 0: it has no other campaign) and it is settled;</item>
/// <item>credits paid for exactly the attempts Twilio accepted: each message's debits less its refunds are its cost
/// when it is sent, else nothing; every debit and refund of its messages carries the campaign's id;</item>
/// <item>GET /campaigns/{id} says completed, with the ledger's credits.</item>
/// </list>
/// The per-message checks (final, at Twilio at most once, a sent one with Twilio's SID) are <see cref="Invariants"/>'.
/// </summary>
internal sealed class CampaignInvariants(NpgsqlDataSource database, TenantApi tenant)
{
    private const string SentStates = "('sent', 'delivered', 'undelivered')";

    public async Task<CampaignCheck> CheckAsync(Guid campaignId, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        var named = $"campaign {campaignId}";

        await using var batch = database.CreateBatch();
        // 0: the campaign's row and its client's hold.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT c.status, c.settled_at IS NOT NULL, c.credits_reserved, c.recipients, cl.credits_reserved
            FROM campaigns c JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1
            """));
        // 1: its recipients against its messages.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT count(*),
                   count(*) FILTER (WHERE r.excluded IS NOT NULL),
                   count(*) FILTER (WHERE r.excluded IS NULL AND x.n = 0),
                   count(*) FILTER (WHERE r.excluded IS NULL AND x.n > 1),
                   count(*) FILTER (WHERE r.excluded IS NOT NULL AND x.n > 0),
                   (SELECT count(*) FROM messages m WHERE m.campaign_id = $1 AND NOT EXISTS (
                        SELECT 1 FROM campaign_recipients o WHERE o.campaign_id = m.campaign_id AND o.lead_id = m.lead_id AND o.excluded IS NULL))
            FROM campaign_recipients r
            CROSS JOIN LATERAL (SELECT count(*) AS n FROM messages m WHERE m.campaign_id = r.campaign_id AND m.lead_id = r.lead_id) x
            WHERE r.campaign_id = $1
            """));
        // 2: its account, as CampaignHold reads it.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT coalesce(-sum(amount) FILTER (WHERE kind = 'reserve'), 0),
                   coalesce(-sum(amount) FILTER (WHERE kind = 'sms_debit'), 0),
                   coalesce(sum(amount) FILTER (WHERE kind = 'release'), 0),
                   coalesce(sum(amount) FILTER (WHERE kind = 'refund'), 0),
                   count(*) FILTER (WHERE kind = 'reserve')
            FROM credit_transactions WHERE campaign_id = $1
            """));
        // 3: what each of its messages was charged, against what it should have been.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT coalesce(sum(m.credit_cost), 0),
                   coalesce(sum(m.credit_cost) FILTER (WHERE m.status IN {SentStates}), 0),
                   count(*) FILTER (WHERE x.charged <> CASE WHEN m.status IN {SentStates} THEN m.credit_cost ELSE 0 END),
                   count(*) FILTER (WHERE x.debits > 1),
                   coalesce(sum(x.unlinked), 0)
            FROM messages m
            CROSS JOIN LATERAL (
                SELECT coalesce(-sum(t.amount), 0) AS charged, count(*) FILTER (WHERE t.kind = 'sms_debit') AS debits,
                       count(*) FILTER (WHERE t.campaign_id IS DISTINCT FROM m.campaign_id) AS unlinked
                FROM credit_transactions t WHERE t.message_id = m.id) x
            WHERE m.campaign_id = $1
            """));
        // 4: its messages by status, for the summary.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT status, count(*) FROM messages WHERE campaign_id = $1 GROUP BY status ORDER BY count(*) DESC"));
        foreach (var command in batch.BatchCommands)
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = campaignId });
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new CampaignCheck(0, 0, [$"{named} does not exist"], "none");
        }

        var (status, settled, reservedColumn, recipientsColumn, clientHeld) =
            (reader.GetString(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4));

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (recipients, excluded, withoutMessage, withCopies, excludedWithMessage, withoutRecipient) =
            ((int)reader.GetInt64(0), reader.GetInt64(1), (int)reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (reserved, spent, released, refunded, reservations) =
            (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (cost, sentCost, mischarged, debitedTwice, unlinked) =
            (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));

        await reader.NextResultAsync(cancellationToken);
        var byStatus = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            byStatus.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(1)} {reader.GetString(0)}"));
        }

        if (status != "completed" || !settled)
        {
            violations.Add($"{named} is {status}{(settled ? "" : ", not settled")} after quiescence: it never completed");
        }

        // One message per (campaign, lead); copies are also counted as duplicates from the messages themselves.
        if (withCopies > 0)
        {
            violations.Add($"one message per (campaign, lead): {withCopies} recipients of {named} have more than one message");
        }

        if (excludedWithMessage > 0)
        {
            violations.Add($"{excludedWithMessage} excluded recipients of {named} have a message");
        }

        if (withoutRecipient > 0)
        {
            violations.Add($"{withoutRecipient} messages of {named} have no recipient row it was planned for");
        }

        if (recipients - excluded != recipientsColumn)
        {
            violations.Add($"{named} says {recipientsColumn} recipients, its frozen audience has {recipients - excluded} not excluded");
        }

        // reserved = spent + released, once nothing is held.
        if (reservations != 1)
        {
            violations.Add($"{named} has {reservations} reserve rows (one expected)");
        }

        if (reserved != spent + released)
        {
            violations.Add($"reserved = spent + released is broken for {named}: reserved {reserved} ≠ spent {spent} + released {released} ({reserved - spent - released} still held)");
        }

        if (reserved != reservedColumn || reserved != cost)
        {
            violations.Add($"{named} reserved {reserved} in the ledger, {reservedColumn} on its row, and its messages cost {cost}");
        }

        if (clientHeld != 0)
        {
            violations.Add($"the client of {named} still holds {clientHeld} credits (credits_reserved) after it completed");
        }

        // Credits paid for exactly the attempts Twilio accepted.
        if (spent - refunded != sentCost)
        {
            violations.Add($"{named} was charged {spent - refunded} credits (spent {spent} − refunded {refunded}) for messages sent costing {sentCost}");
        }

        if (mischarged > 0 || debitedTwice > 0)
        {
            violations.Add($"{mischarged} messages of {named} were charged other than their cost if sent and nothing otherwise; {debitedTwice} were debited twice");
        }

        if (unlinked > 0)
        {
            violations.Add($"{unlinked} debits or refunds of {named}'s messages do not carry its campaign_id (its hold would miss them)");
        }

        var view = await tenant.GetCampaignAsync(campaignId, cancellationToken);
        if (view.Status != "completed" || view.Credits is not { } credits
            || (credits.Reserved, credits.Spent, credits.Released, credits.Held, credits.Refunded) != (reserved, spent, released, 0, refunded))
        {
            violations.Add($"GET /campaigns/{campaignId} says {view.Status} with {view.Credits}; the ledger: reserved {reserved}, spent {spent}, released {released}, refunded {refunded}");
        }

        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{recipients} recipients ({excluded} excluded), {string.Join(", ", byStatus)}; credits reserved {reserved} = spent {spent} + released {released}, refunded {refunded}");
        return new CampaignCheck(recipients, withoutMessage, violations, summary);
    }
}

/// <summary>What <see cref="CampaignInvariants"/> found: recipients without their message are lost, the rest are violations.</summary>
internal sealed record CampaignCheck(int Recipients, int RecipientsWithoutMessage, IReadOnlyList<string> Violations, string Summary);
