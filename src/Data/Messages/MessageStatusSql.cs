namespace SmsRemarketing.Data.Messages;

/// <summary>
/// The forward-only order of message statuses, and the statements that apply Twilio's status callbacks with it.
/// A callback is applied to the message with its SID by one guarded UPDATE; when no message has the SID yet, it is
/// stored by SID (<c>message_status_callbacks</c>) and a trigger applies the stored statuses the moment one gets it.
/// Both sides take the same advisory lock on the SID, so a callback racing the Dispatcher's "sent" is never lost.
/// </summary>
public static class MessageStatusSql
{
    /// <summary>
    /// Applying a callback is two statements in one transaction ($1 SID, $2 status, $3 error code, $4 error message):
    /// take the SID's lock (held to commit), then <see cref="ApplyCallback"/>.
    /// </summary>
    public const string LockSid = "SELECT pg_advisory_xact_lock(hashtextextended('message_status:' || $1, 0))";

    /// <summary>
    /// Moves the message with the SID forward to the callback's status, never back, and returns its client when it
    /// moved (no row: a duplicate, a late one, or no message has the SID yet). Only in that last case is the callback
    /// stored, for the trigger to apply when a message gets the SID: storing every callback cost every SMS three more
    /// inserts, for rows nothing read.
    /// </summary>
    public const string ApplyCallback = """
        WITH moved AS (
            UPDATE messages SET status = $2,
                error_code = coalesce($3, error_code),
                error_message = CASE WHEN $3 IS NOT NULL THEN $4 ELSE error_message END,
                sent_at = CASE WHEN $2 IN ('sent', 'delivered', 'undelivered') THEN coalesce(sent_at, now()) ELSE sent_at END,
                delivered_at = CASE WHEN $2 = 'delivered' THEN coalesce(delivered_at, now()) ELSE delivered_at END,
                updated_at = now()
            WHERE twilio_sid = $1 AND message_status_rank(status) < message_status_rank($2)
            RETURNING client_id),
        stored AS (
            INSERT INTO message_status_callbacks (twilio_sid, status, error_code, error_message, received_at)
            SELECT $1, $2, $3, $4, now() WHERE NOT EXISTS (SELECT 1 FROM messages WHERE twilio_sid = $1)
            ON CONFLICT (twilio_sid, status) DO NOTHING)
        SELECT client_id FROM moved
        """;
}
