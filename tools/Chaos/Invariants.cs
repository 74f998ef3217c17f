using Npgsql;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.Chaos;

/// <summary>
/// The promises, checked once the stack is quiet: every accepted message (sends, the sweep's, the campaign's) exists
/// and is final (sent, failed with a reason, or suppressed); the emulator got each message at most once, and a message
/// recorded as sent is one it got; the ledger's balance rows sum to each balance and its holds to each reservation, no
/// balance is negative, credits were charged for exactly the messages sent; no outbox row is stranded or
/// dead-lettered; and the campaign's own promises (<see cref="CampaignInvariants"/>).
/// </summary>
internal sealed class Invariants(NpgsqlDataSource database, EmulatorAdminClient emulator, TenantApi tenant)
{
    private static readonly string[] SentStates = ["sent", "delivered", "undelivered"];

    /// <summary>
    /// Waits until the client has nothing queued or sending, no outbox row waits, the sweep fired every due lead, and
    /// the campaign is completed and settled (every message of it final, its unspent hold released).
    /// </summary>
    public async Task<bool> WaitForQuiescenceAsync(
        Guid clientId, Guid triggerId, int dueLeads, Guid campaignId, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + deadline;
        var quietRounds = 0;
        while (DateTime.UtcNow < until)
        {
            try
            {
                await using var command = database.CreateCommand("""
                    SELECT (SELECT count(*) FROM messages WHERE client_id = $1 AND status IN ('queued', 'sending')),
                           (SELECT count(*) FROM outbox_messages WHERE published_at IS NULL),
                           (SELECT count(*) FROM messages WHERE trigger_id = $2),
                           coalesce((SELECT status = 'completed' AND settled_at IS NOT NULL FROM campaigns WHERE id = $3), false)
                    """);
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = clientId });
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = triggerId });
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = campaignId });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                var quiet = reader.GetInt64(0) == 0 && reader.GetInt64(1) == 0 && reader.GetInt64(2) >= dueLeads && reader.GetBoolean(3);
                // Twice in a row: a sweep page or a redelivery may be between two commits.
                quietRounds = quiet ? quietRounds + 1 : 0;
                if (quietRounds >= 2)
                {
                    return true;
                }
            }
            catch (NpgsqlException)
            {
                quietRounds = 0;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return false;
    }

    public async Task<ScenarioResult> CheckAsync(
        string name, Guid clientId, Guid triggerId, int dueLeads, Guid campaignId, long credits, IReadOnlyCollection<Guid> acceptedSends,
        IReadOnlyCollection<string> refused, TimeSpan duration, CancellationToken cancellationToken)
    {
        var violations = new List<string>(refused.Select(r => $"the Api refused a send: {r}"));
        var rows = await MessagesAsync(clientId, cancellationToken);
        var byId = rows.ToDictionary(r => r.Id);
        var sweepRows = rows.Where(r => r.TriggerId == triggerId).ToList();
        // The campaign's messages are accepted by its schedule; each is then checked as any other (final, at Twilio at
        // most once, a sent one with Twilio's SID), and CampaignInvariants checks them against its recipients and hold.
        var campaignRows = rows.Where(r => r.CampaignId == campaignId).ToList();
        var accepted = acceptedSends.Concat(sweepRows.Select(r => r.Id)).Concat(campaignRows.Select(r => r.Id)).ToHashSet();

        var inspected = await emulator.GetMessagesAsync(cancellationToken: cancellationToken);
        var received = inspected
            .GroupBy(m => m.Form.TryGetValue("Body", out var body) ? body[0] : "")
            .ToDictionary(g => g.Key, g => g.Select(m => m.Sid).ToList());
        var byBody = rows.ToLookup(r => r.Body);
        foreach (var copies in inspected.GroupBy(m => m.Form.TryGetValue("Body", out var body) ? body[0] : "").Where(g => g.Count() > 1))
        {
            var message = byBody[copies.Key].FirstOrDefault();
            violations.Add($"Twilio received \"{copies.Key}\" {copies.Count()} times ({string.Join(", ", copies.Select(c => $"{c.Sid} at {c.ReceivedAt:HH:mm:ss.fff}"))}); " +
                $"message {message?.Id} is {message?.Status} as {message?.TwilioSid}");
        }

        // Duplicates: a second copy of a body at Twilio, a message no send, firing or campaign accounts for (a send that
        // was queued twice), a lead the sweep fired twice, a second message of the campaign to one lead.
        var duplicates = received.Values.Sum(sids => sids.Count - 1)
            + rows.Count(r => !accepted.Contains(r.Id))
            + sweepRows.GroupBy(r => r.LeadId).Sum(g => g.Count() - 1)
            + campaignRows.GroupBy(r => r.LeadId).Sum(g => g.Count() - 1);
        foreach (var copies in campaignRows.GroupBy(r => r.LeadId).Where(g => g.Count() > 1))
        {
            violations.Add($"one message per (campaign, lead): campaign {campaignId} has {copies.Count()} messages for lead {copies.Key} ({string.Join(", ", copies.Select(c => c.Id))})");
        }

        var missing = accepted.Count(id => !byId.ContainsKey(id));
        var notFinal = 0;
        var sentNotReceived = 0;
        var (sent, failed, suppressed) = (0, 0, 0);
        foreach (var id in accepted)
        {
            if (!byId.TryGetValue(id, out var row))
            {
                continue;
            }

            received.TryGetValue(row.Body, out var sids);
            switch (row.Status)
            {
                case var s when SentStates.Contains(s):
                    sent++;
                    if (sids is null)
                    {
                        sentNotReceived++;
                    }
                    else if (!sids.Contains(row.TwilioSid ?? ""))
                    {
                        violations.Add($"message {row.Id} is sent as {row.TwilioSid}, but Twilio has its body as {string.Join(", ", sids)}");
                    }

                    break;
                case "failed":
                    failed++;
                    if (string.IsNullOrWhiteSpace(row.Error))
                    {
                        violations.Add($"message {row.Id} failed without a reason");
                    }

                    if (sids is not null)
                    {
                        violations.Add($"message {row.Id} is failed ({row.Error}) but Twilio received it ({sids[0]})");
                    }

                    break;
                case "suppressed":
                    suppressed++;
                    if (sids is not null)
                    {
                        violations.Add($"message {row.Id} is suppressed but Twilio received it");
                    }

                    break;
                default:
                    notFinal++;
                    break;
            }
        }

        var sweepMissing = Math.Max(0, dueLeads - sweepRows.Select(r => r.LeadId).Distinct().Count());
        var campaign = await new CampaignInvariants(database, tenant).CheckAsync(campaignId, cancellationToken);
        var lost = missing + notFinal + sentNotReceived + sweepMissing + campaign.RecipientsWithoutMessage;
        if (lost > 0)
        {
            violations.Add($"lost: {missing} accepted but missing, {notFinal} not final, {sentNotReceived} sent but never at Twilio, {sweepMissing} due leads never fired, " +
                $"{campaign.RecipientsWithoutMessage} campaign recipients without a message");
        }

        violations.AddRange(campaign.Violations);
        violations.AddRange(await LedgerAndOutboxAsync(clientId, credits, sent, cancellationToken));
        var campaignSent = campaignRows.Count(r => SentStates.Contains(r.Status));
        return new ScenarioResult(name, accepted.Count, sent, failed, suppressed, duplicates, lost, violations, duration)
        {
            Campaign = new CampaignCounts(campaign.Recipients, campaignRows.Count, campaignSent, campaign.Summary),
        };
    }

    private async Task<List<string>> LedgerAndOutboxAsync(Guid clientId, long credits, int sent, CancellationToken cancellationToken)
    {
        // The balance is every ledger row but reservations and releases, which move what campaigns hold
        // (credits_reserved: reserve − release − the debits of campaign messages, which the hold paid).
        await using var command = database.CreateCommand("""
            SELECT (SELECT count(*) FROM clients c
                    WHERE c.credit_balance <> (SELECT coalesce(sum(t.amount), 0) FROM credit_transactions t
                                               WHERE t.client_id = c.id AND t.kind NOT IN ('reserve', 'release'))),
                   (SELECT count(*) FROM clients WHERE credit_balance < 0),
                   (SELECT credit_balance FROM clients WHERE id = $1),
                   (SELECT count(*) FROM outbox_messages WHERE published_at IS NULL),
                   (SELECT count(*) FROM outbox_dead_letters),
                   (SELECT count(*) FROM clients c
                    WHERE c.credits_reserved <> (SELECT coalesce(sum(-t.amount) FILTER (WHERE t.kind IN ('reserve', 'release')), 0)
                                                      + coalesce(sum(t.amount) FILTER (WHERE t.kind = 'sms_debit' AND t.campaign_id IS NOT NULL), 0)
                                                 FROM credit_transactions t WHERE t.client_id = c.id))
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = clientId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var violations = new List<string>();
        if (reader.GetInt64(0) > 0)
        {
            violations.Add($"{reader.GetInt64(0)} clients' balances differ from their ledger's sum");
        }

        if (reader.GetInt64(1) > 0)
        {
            violations.Add($"{reader.GetInt64(1)} clients have a negative balance");
        }

        if (credits - reader.GetInt64(2) != sent)
        {
            violations.Add($"{credits - reader.GetInt64(2)} credits were charged for {sent} messages sent");
        }

        if (reader.GetInt64(3) > 0)
        {
            violations.Add($"{reader.GetInt64(3)} outbox rows are stranded (never published)");
        }

        if (reader.GetInt64(4) > 0)
        {
            violations.Add($"{reader.GetInt64(4)} outbox rows were dead-lettered");
        }

        if (reader.GetInt64(5) > 0)
        {
            violations.Add($"{reader.GetInt64(5)} clients' credits_reserved differ from their ledger's holds (reserve − release − campaign debits)");
        }

        return violations;
    }

    private async Task<List<MessageRow>> MessagesAsync(Guid clientId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT id, status, error_message, body, twilio_sid, trigger_id, lead_id, campaign_id FROM messages WHERE client_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = clientId });
        var rows = new List<MessageRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MessageRow(
                reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetGuid(6),
                reader.IsDBNull(7) ? null : reader.GetGuid(7)));
        }

        return rows;
    }

    private sealed record MessageRow(Guid Id, string Status, string? Error, string Body, string? TwilioSid, Guid? TriggerId, Guid LeadId, Guid? CampaignId);
}
