using Npgsql;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.Chaos;

/// <summary>
/// The promises, checked once the stack is quiet: every accepted message exists and is final (sent, failed with a
/// reason, or suppressed); the emulator got each message at most once, and a message recorded as sent is one it got;
/// the ledger sums to each balance, no balance is negative, credits were charged for exactly the messages sent; no
/// outbox row is stranded or dead-lettered.
/// </summary>
internal sealed class Invariants(NpgsqlDataSource database, EmulatorAdminClient emulator)
{
    private static readonly string[] SentStates = ["sent", "delivered", "undelivered"];

    /// <summary>Waits until the client has nothing queued or sending, no outbox row waits, and the sweep fired every due lead.</summary>
    public async Task<bool> WaitForQuiescenceAsync(Guid clientId, Guid triggerId, int dueLeads, TimeSpan deadline, CancellationToken cancellationToken)
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
                           (SELECT count(*) FROM messages WHERE trigger_id = $2)
                    """);
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = clientId });
                command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = triggerId });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                var quiet = reader.GetInt64(0) == 0 && reader.GetInt64(1) == 0 && reader.GetInt64(2) >= dueLeads;
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
        string name, Guid clientId, Guid triggerId, int dueLeads, long credits, IReadOnlyCollection<Guid> acceptedSends,
        IReadOnlyCollection<string> refused, TimeSpan duration, CancellationToken cancellationToken)
    {
        var violations = new List<string>(refused.Select(r => $"the Api refused a send: {r}"));
        var rows = await MessagesAsync(clientId, cancellationToken);
        var byId = rows.ToDictionary(r => r.Id);
        var sweepRows = rows.Where(r => r.TriggerId == triggerId).ToList();
        var accepted = acceptedSends.Concat(sweepRows.Select(r => r.Id)).ToHashSet();

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

        // Duplicates: a second copy of a body at Twilio, a message no send or firing accounts for (a send that was
        // queued twice), a lead the sweep fired twice.
        var duplicates = received.Values.Sum(sids => sids.Count - 1)
            + rows.Count(r => !accepted.Contains(r.Id))
            + sweepRows.GroupBy(r => r.LeadId).Sum(g => g.Count() - 1);

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
        var lost = missing + notFinal + sentNotReceived + sweepMissing;
        if (lost > 0)
        {
            violations.Add($"lost: {missing} accepted but missing, {notFinal} not final, {sentNotReceived} sent but never at Twilio, {sweepMissing} due leads never fired");
        }

        violations.AddRange(await LedgerAndOutboxAsync(clientId, credits, sent, cancellationToken));
        return new ScenarioResult(name, accepted.Count, sent, failed, suppressed, duplicates, lost, violations, duration);
    }

    private async Task<List<string>> LedgerAndOutboxAsync(Guid clientId, long credits, int sent, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT (SELECT count(*) FROM clients c
                    WHERE c.credit_balance <> (SELECT coalesce(sum(t.amount), 0) FROM credit_transactions t WHERE t.client_id = c.id)),
                   (SELECT count(*) FROM clients WHERE credit_balance < 0),
                   (SELECT credit_balance FROM clients WHERE id = $1),
                   (SELECT count(*) FROM outbox_messages WHERE published_at IS NULL),
                   (SELECT count(*) FROM outbox_dead_letters)
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

        return violations;
    }

    private async Task<List<MessageRow>> MessagesAsync(Guid clientId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT id, status, error_message, body, twilio_sid, trigger_id, lead_id FROM messages WHERE client_id = $1");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = clientId });
        var rows = new List<MessageRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new MessageRow(
                reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetGuid(6)));
        }

        return rows;
    }

    private sealed record MessageRow(Guid Id, string Status, string? Error, string Body, string? TwilioSid, Guid? TriggerId, Guid LeadId);
}
