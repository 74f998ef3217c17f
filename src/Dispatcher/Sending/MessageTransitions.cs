using Npgsql;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// The guarded state changes of a message row, each one SQL statement or transaction. Every transition names the
/// state it leaves (<c>WHERE status = …</c>), so a duplicate or late caller changes nothing.
/// </summary>
internal sealed class MessageTransitions(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// queued → sending, and the credit debit, in one transaction. Returns null when the message is not queued
    /// (a duplicate delivery, or it no longer exists). A message whose client has no credit ends <c>failed</c>, one
    /// whose lead opted out ends <c>suppressed</c>, and one whose client is inactive ends <c>failed</c>, all without
    /// a debit; the returned claim says which.
    /// </summary>
    public async Task<(ClaimedMessage? Claim, SendOutcome? Settled)> ClaimAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        ClaimedMessage? claim;
        await using (var command = new NpgsqlCommand("""
            WITH claimed AS (
                UPDATE messages SET status = 'sending', attempts = attempts + 1, last_attempt_at = now(), updated_at = now()
                WHERE id = $1 AND status = 'queued'
                RETURNING id, client_id, lead_id, to_phone, body, last_attempt_at)
            SELECT c.id, c.client_id, c.lead_id, c.to_phone, c.body, cl.is_active, l.opted_out_at IS NOT NULL,
                   cl.from_number, cl.messaging_service_sid, c.last_attempt_at
            FROM claimed c JOIN clients cl ON cl.id = c.client_id JOIN leads l ON l.id = c.lead_id
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            claim = await reader.ReadAsync(cancellationToken) ? ReadClaim(reader) : null;
        }

        if (claim is null)
        {
            await transaction.CommitAsync(cancellationToken);
            return (null, SendOutcome.Duplicate);
        }

        SendOutcome? settled = null;
        if (claim.LeadOptedOut)
        {
            await SettleAsync(connection, transaction, claim.Id, "suppressed", null, "The lead opted out.", cancellationToken);
            settled = SendOutcome.Suppressed;
        }
        else if (!claim.ClientActive)
        {
            await SettleAsync(connection, transaction, claim.Id, "failed", null, "The client is inactive.", cancellationToken);
            settled = SendOutcome.Failed;
        }
        else if (!await DebitAsync(connection, transaction, claim, cancellationToken))
        {
            await SettleAsync(connection, transaction, claim.Id, "failed", null, "Insufficient credits.", cancellationToken);
            settled = SendOutcome.Failed;
        }

        await transaction.CommitAsync(cancellationToken);
        return (claim, settled);
    }

    /// <summary>Notes another request to Twilio for a message being sent (for the reconciler's clock).</summary>
    public async Task RecordAttemptAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE messages SET attempts = attempts + 1, last_attempt_at = now(), updated_at = now() WHERE id = $1 AND status = 'sending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>sending → sent, with Twilio's SID.</summary>
    public async Task MarkSentAsync(Guid messageId, string sid, string? from, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE messages SET status = 'sent', twilio_sid = $2, from_phone = coalesce($3, from_phone),
                error_code = NULL, error_message = NULL, sent_at = now(), updated_at = now()
            WHERE id = $1 AND status = 'sending'
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)from ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// sending → failed with Twilio's code and message. <paramref name="refund"/> gives the credit back when the
    /// attempt never reached Twilio or Twilio did not charge it (an opted-out recipient); and
    /// <paramref name="optOutLead"/> records a 21610 as the lead's opt-out.
    /// </summary>
    public async Task MarkFailedAsync(ClaimedMessage claim, int? code, string error, bool refund, bool optOutLead, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await SettleAsync(connection, transaction, claim.Id, "failed", code, error, cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (refund)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
                SELECT $1, 1, 'refund', $2, now()
                WHERE EXISTS (SELECT 1 FROM credit_transactions WHERE message_id = $2 AND kind = 'sms_debit')
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
        await using var command = dataSource.CreateCommand(
            "UPDATE messages SET error_message = left($2, 1000), updated_at = now() WHERE id = $1 AND status = 'sending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = $"Outcome unknown, reconciling with Twilio: {reason}" });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether a Twilio SID is already recorded on any message (so a reconciliation never claims it twice).</summary>
    public async Task<bool> IsSidKnownAsync(string sid, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM messages WHERE twilio_sid = $1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sid });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Takes over messages stuck in <c>sending</c> (their Dispatcher died or Twilio's answer never came) by moving
    /// their clock, so two reconcilers never work on the same message at once.
    /// </summary>
    public async Task<List<ClaimedMessage>> ClaimStuckAsync(TimeSpan stuckAfter, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH stuck AS (
                SELECT id FROM messages
                WHERE status = 'sending' AND last_attempt_at < now() - $1
                ORDER BY last_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED),
            taken AS (
                UPDATE messages m SET last_attempt_at = now(), updated_at = now()
                FROM stuck WHERE m.id = stuck.id
                RETURNING m.id, m.client_id, m.lead_id, m.to_phone, m.body)
            SELECT t.id, t.client_id, t.lead_id, t.to_phone, t.body, cl.is_active, l.opted_out_at IS NOT NULL,
                   cl.from_number, cl.messaging_service_sid, m.created_at
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
        reader.GetFieldValue<DateTimeOffset>(9));

    private static async Task<bool> DebitAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ClaimedMessage claim, CancellationToken cancellationToken)
    {
        // Lock the client's row first: racing debits queue here and each sees the balance the previous one left.
        await using var debit = new NpgsqlCommand("""
            WITH balance AS (SELECT credit_balance FROM clients WHERE id = $1 FOR UPDATE)
            INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
            SELECT $1, -1, 'sms_debit', $2, now() FROM balance WHERE credit_balance >= 1
            ON CONFLICT (message_id, kind) WHERE message_id IS NOT NULL DO NOTHING
            """, connection, transaction);
        debit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = claim.ClientId });
        debit.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = claim.Id });
        return await debit.ExecuteNonQueryAsync(cancellationToken) == 1;
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
