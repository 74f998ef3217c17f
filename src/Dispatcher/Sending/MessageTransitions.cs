using SmsRemarketing.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// The guarded state changes of a message row, each one SQL statement or transaction; the two every SMS makes
/// (the claim and the 'sent' mark) are shared by concurrent senders. Every transition names the
/// state it leaves (<c>WHERE status = …</c>), so a duplicate or late caller changes nothing.
/// </summary>
internal sealed class MessageTransitions : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit<Guid, (ClaimedMessage? Claim, SendOutcome? Settled)> _claims;
    private readonly GroupCommit<SentMark, bool> _sentMarks;

    public MessageTransitions(NpgsqlDataSource dataSource, IOptions<DispatcherOptions> options)
    {
        _dataSource = dataSource;
        _claims = new(ClaimManyAsync, options.Value.MaxBatch);
        _sentMarks = new(MarkManySentAsync, options.Value.MaxBatch);
    }

    /// <summary>
    /// queued → sending, and the credit debit, in one transaction shared with whatever other claims are waiting
    /// (<see cref="GroupCommit{TItem,TResult}"/>). Returns null when the message is not queued (a duplicate delivery,
    /// or it no longer exists). A message whose client has no credit ends <c>failed</c>, one whose lead opted out
    /// ends <c>suppressed</c>, and one whose client is inactive ends <c>failed</c>, all without a debit; the returned
    /// claim says which.
    /// </summary>
    public Task<(ClaimedMessage? Claim, SendOutcome? Settled)> ClaimAsync(Guid messageId, CancellationToken cancellationToken) =>
        _claims.RunAsync(messageId, cancellationToken);

    /// <summary>sending → sent, with Twilio's SID, in one statement shared with the other marks waiting.</summary>
    public Task MarkSentAsync(Guid messageId, string sid, string? from, CancellationToken cancellationToken) =>
        _sentMarks.RunAsync(new SentMark(messageId, sid, from), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _claims.DisposeAsync();
        await _sentMarks.DisposeAsync();
    }

    private async Task<IReadOnlyList<(ClaimedMessage? Claim, SendOutcome? Settled)>> ClaimManyAsync(
        IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The clients first: racing debits of one client queue here, before anything is claimed. The claim's clock
        // (last_attempt_at, the reconciler's) is the claim statement's start, after that wait, so a claim never commits
        // already looking abandoned, without a second UPDATE of every claimed row to restamp it.
        var balances = await LockClientsAsync(connection, transaction, messageIds, cancellationToken);

        // Rows locked in id order (clients, then messages), so two Dispatchers claiming overlapping batches queue
        // instead of deadlocking. NO KEY UPDATE: new messages and ledger rows that only reference these rows go on.
        var claims = new Dictionary<Guid, ClaimedMessage>();
        await using (var command = new NpgsqlCommand("""
            WITH locked AS (
                SELECT id FROM messages WHERE id = ANY($1) AND status = 'queued' ORDER BY id FOR NO KEY UPDATE),
            claimed AS (
                UPDATE messages m SET status = 'sending', attempts = attempts + 1, last_attempt_at = statement_timestamp(), updated_at = now()
                FROM locked WHERE m.id = locked.id
                RETURNING m.id, m.client_id, m.lead_id, m.to_phone, m.body, m.last_attempt_at, m.credit_cost)
            SELECT c.id, c.client_id, c.lead_id, c.to_phone, c.body, cl.is_active, l.opted_out_at IS NOT NULL,
                   cl.from_number, cl.messaging_service_sid, c.last_attempt_at, c.credit_cost
            FROM claimed c JOIN clients cl ON cl.id = c.client_id JOIN leads l ON l.id = c.lead_id
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. messageIds] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var claim = ReadClaim(reader);
                claims[claim.Id] = claim;
            }
        }

        var settled = new Dictionary<Guid, (SendOutcome Outcome, string Status, string Error)>();
        foreach (var claim in claims.Values)
        {
            if (claim.LeadOptedOut)
            {
                settled[claim.Id] = (SendOutcome.Suppressed, "suppressed", "The lead opted out.");
            }
            else if (!claim.ClientActive)
            {
                settled[claim.Id] = (SendOutcome.Failed, "failed", "The client is inactive.");
            }
        }

        var toDebit = claims.Values.Where(claim => !settled.ContainsKey(claim.Id)).ToList();
        foreach (var unpaid in await DebitAsync(connection, transaction, toDebit, balances, cancellationToken))
        {
            settled[unpaid.Id] = (SendOutcome.Failed, "failed", "Insufficient credits.");
        }

        if (settled.Count > 0)
        {
            await using var settle = new NpgsqlCommand("""
                UPDATE messages m SET status = s.status, error_message = s.error, updated_at = now()
                FROM unnest($1::uuid[], $2::text[], $3::text[]) AS s(id, status, error)
                WHERE m.id = s.id AND m.status = 'sending'
                """, connection, transaction);
            settle.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. settled.Keys] });
            settle.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. settled.Values.Select(s => s.Status)] });
            settle.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. settled.Values.Select(s => s.Error)] });
            await settle.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        // One claim per message: the same id twice in a batch (a duplicate delivery) gets the claim once.
        var results = new List<(ClaimedMessage?, SendOutcome?)>(messageIds.Count);
        foreach (var id in messageIds)
        {
            results.Add(claims.Remove(id, out var claim)
                ? (claim, settled.TryGetValue(id, out var outcome) ? outcome.Outcome : null)
                : (null, SendOutcome.Duplicate));
        }

        return results;
    }

    private async Task<IReadOnlyList<bool>> MarkManySentAsync(IReadOnlyList<SentMark> marks, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            UPDATE messages m SET status = 'sent', twilio_sid = s.sid, from_phone = coalesce(s.from_phone, m.from_phone),
                error_code = NULL, error_message = NULL, sent_at = now(), updated_at = now()
            FROM unnest($1::uuid[], $2::text[], $3::text[]) AS s(id, sid, from_phone)
            WHERE m.id = s.id AND m.status = 'sending'
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. marks.Select(mark => mark.MessageId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. marks.Select(mark => mark.Sid)] });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. marks.Select(mark => mark.From)] });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return [.. marks.Select(_ => true)];
    }

    /// <summary>
    /// Notes another request to Twilio for a message being sent (for the reconciler's clock). False when the message
    /// is no longer <c>sending</c> (another sender finished it): then no request may be made.
    /// </summary>
    public async Task<bool> RecordAttemptAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE messages SET attempts = attempts + 1, last_attempt_at = now(), updated_at = now() WHERE id = $1 AND status = 'sending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// sending → failed with Twilio's code and message. <paramref name="refund"/> gives the credit back when the
    /// attempt never reached Twilio or Twilio did not charge it (an opted-out recipient); and
    /// <paramref name="optOutLead"/> records a 21610 as the lead's opt-out.
    /// </summary>
    public async Task MarkFailedAsync(ClaimedMessage claim, int? code, string error, bool refund, bool optOutLead, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SettleAsync(connection, transaction, claim.Id, "failed", code, error, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (refund)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
                SELECT $1, -amount, 'refund', $2, now() FROM credit_transactions WHERE message_id = $2 AND kind = 'sms_debit'
                ON CONFLICT (message_id, kind) WHERE message_id IS NOT NULL DO NOTHING
                """, claim.ClientId, claim.Id));
        }

        if (optOutLead)
        {
            // The opt-out and its consent event together, once: a lead already opted out records nothing new.
            batch.BatchCommands.Add(Command("""
                WITH changed AS (
                    UPDATE leads SET opted_out_at = now(), updated_at = now() WHERE id = $1 AND opted_out_at IS NULL
                    RETURNING id, client_id)
                INSERT INTO consent_events (client_id, lead_id, kind, source, detail, occurred_at)
                SELECT client_id, id, 'opt_out', 'twilio_error_21610', $2, now() FROM changed
                """, claim.LeadId, $"Twilio refused message {claim.Id} with 21610."));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Leaves the message in <c>sending</c> with a note, for the reconciler.</summary>
    public async Task MarkUnknownAsync(Guid messageId, string reason, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(
            "UPDATE messages SET error_message = left($2, 1000), updated_at = now() WHERE id = $1 AND status = 'sending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"Outcome unknown, reconciling with Twilio: {reason}" });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether a Twilio SID is already recorded on any message (so a reconciliation never claims it twice).</summary>
    public async Task<bool> IsSidKnownAsync(string sid, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM messages WHERE twilio_sid = $1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sid });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Takes over messages stuck in <c>sending</c> (their Dispatcher died or Twilio's answer never came) by moving
    /// their clock, so two reconcilers never work on the same message at once.
    /// </summary>
    public async Task<List<ClaimedMessage>> ClaimStuckAsync(TimeSpan stuckAfter, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            WITH stuck AS (
                SELECT id FROM messages
                WHERE status = 'sending' AND last_attempt_at < now() - $1
                ORDER BY last_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
            taken AS (
                UPDATE messages m SET last_attempt_at = now(), updated_at = now()
                FROM stuck WHERE m.id = stuck.id
                RETURNING m.id, m.client_id, m.lead_id, m.to_phone, m.body, m.credit_cost)
            SELECT t.id, t.client_id, t.lead_id, t.to_phone, t.body, cl.is_active, l.opted_out_at IS NOT NULL,
                   cl.from_number, cl.messaging_service_sid, m.created_at, t.credit_cost
            FROM taken t JOIN clients cl ON cl.id = t.client_id JOIN leads l ON l.id = t.lead_id
                         JOIN messages m ON m.id = t.id
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = stuckAfter });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        var claims = new List<ClaimedMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add(ReadClaim(reader));
        }

        return claims;
    }

    /// <summary>A claim from the columns both claim queries select, in the same order.</summary>
    private static ClaimedMessage ReadClaim(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4),
        reader.GetBoolean(5), reader.GetBoolean(6),
        reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.GetFieldValue<DateTimeOffset>(9), reader.GetInt32(10));

    /// <summary>
    /// Locks the clients of the given messages (whatever their status: the claim that follows may find a message
    /// that was released from <c>scheduled</c> meanwhile) in id order, and returns their balances.
    /// </summary>
    private static async Task<Dictionary<Guid, long>> LockClientsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Guid> messageIds, CancellationToken cancellationToken)
    {
        var balances = new Dictionary<Guid, long>();
        await using var command = new NpgsqlCommand("""
            SELECT id, credit_balance FROM clients
            WHERE id IN (SELECT client_id FROM messages WHERE id = ANY($1))
            ORDER BY id FOR NO KEY UPDATE
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. messageIds] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            balances[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return balances;
    }

    /// <summary>
    /// Debits each claim's cost, oldest message first per client, as far as each client's balance goes (the
    /// balances read under <see cref="LockClientsAsync"/>'s locks, so each batch sees what the previous one left);
    /// returns the claims left unpaid.
    /// </summary>
    private static async Task<List<ClaimedMessage>> DebitAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<ClaimedMessage> claims, Dictionary<Guid, long> balances,
        CancellationToken cancellationToken)
    {
        if (claims.Count == 0)
        {
            return [];
        }

        var paid = new List<ClaimedMessage>(claims.Count);
        var unpaid = new List<ClaimedMessage>();
        foreach (var claim in claims.OrderBy(c => c.Id))
        {
            if (balances.GetValueOrDefault(claim.ClientId) >= claim.CreditCost)
            {
                balances[claim.ClientId] -= claim.CreditCost;
                paid.Add(claim);
            }
            else
            {
                unpaid.Add(claim);
            }
        }

        if (paid.Count > 0)
        {
            await using var debit = new NpgsqlCommand("""
                INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
                SELECT d.client_id, -d.cost, 'sms_debit', d.message_id, now()
                FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS d(client_id, message_id, cost)
                ON CONFLICT (message_id, kind) WHERE message_id IS NOT NULL DO NOTHING
                """, connection, transaction);
            debit.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. paid.Select(c => c.ClientId)] });
            debit.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. paid.Select(c => c.Id)] });
            debit.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. paid.Select(c => c.CreditCost)] });
            await debit.ExecuteNonQueryAsync(cancellationToken);
        }

        return unpaid;
    }

    private static async Task SettleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid messageId, string status, int? code, string error, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE messages SET status = $2, error_code = $3, error_message = left($4, 1000), updated_at = now()
            WHERE id = $1 AND status = 'sending'
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)code ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}

internal sealed record SentMark(Guid MessageId, string Sid, string? From);
