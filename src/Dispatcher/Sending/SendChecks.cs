using Npgsql;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// The checks a sender makes before each request to Twilio and before each look-up, so that a message settled or
/// taken over meanwhile (by the reconciler, another sender, a rule, or a status callback that tied a SID to it) is
/// never sent again. Each is one statement on the message's row.
/// </summary>
internal sealed class SendChecks(NpgsqlDataSource dataSource)
{
    /// <summary>The message's hold, or null when it is no longer <c>sending</c>.</summary>
    public async Task<SendingHold?> ReadAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT last_attempt_at, twilio_sid FROM messages WHERE id = $1 AND status = 'sending'");
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SendingHold(reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetString(1))
            : null;
    }

    /// <summary>
    /// Takes the next request to Twilio: only while the message is still <c>sending</c>, has no SID, and is still held
    /// since <paramref name="heldSince"/>. Moves its clock (so no reconciler takes it over while the request is in
    /// flight) and counts the attempt when <paramref name="countAttempt"/>. Null when the hold is lost.
    /// </summary>
    public async Task<DateTimeOffset?> TakeAttemptAsync(Guid messageId, DateTimeOffset heldSince, bool countAttempt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE messages SET attempts = attempts + $3, last_attempt_at = now(), updated_at = now()
            WHERE id = $1 AND status = 'sending' AND twilio_sid IS NULL AND last_attempt_at = $2
            RETURNING last_attempt_at
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = heldSince });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = countAttempt ? 1 : 0 });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime moved
            ? new DateTimeOffset(moved, TimeSpan.Zero)
            : null;
    }

    /// <summary>Which of <paramref name="sids"/> are already recorded on one of our messages.</summary>
    public async Task<HashSet<string>> KnownSidsAsync(IReadOnlyCollection<string> sids, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (sids.Count == 0)
        {
            return known;
        }

        await using var command = dataSource.CreateCommand("SELECT twilio_sid FROM messages WHERE twilio_sid = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. sids] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(reader.GetString(0));
        }

        return known;
    }
}
