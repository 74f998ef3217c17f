namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>
/// The callback step of <see cref="MessageLifecycle"/>: the statements that apply Twilio's status callbacks, forward
/// only by the database's <c>message_status_rank</c> (queued &lt; sending &lt; sent &lt; delivered | undelivered |
/// failed; anything else is final). The Api's webhook runs them, many to a transaction. A callback carrying our
/// message id applies to that message (<see cref="ApplyCallbackForMessage"/>); one without (sent before the id was in
/// the URL) is applied to the message with its SID, and when no message has the SID yet it is stored by SID
/// (<c>message_status_callbacks</c>) and a trigger applies the stored statuses the moment one gets it. Both sides take
/// the same advisory lock on the SID, so a callback racing the Dispatcher's 'sent' mark is never lost.
/// </summary>
public static class StatusCallbackSql
{
    /// <summary>The statuses of a message that reached the carrier (it has a <c>sent_at</c>).</summary>
    private static readonly string Reached = $"'{MessageLifecycle.Sent}', '{MessageLifecycle.Delivered}', '{MessageLifecycle.Undelivered}'";

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
    public static readonly string ApplyCallback = $"""
        WITH moved AS (
            UPDATE messages SET status = $2,
                error_code = coalesce($3, error_code),
                error_message = CASE WHEN $3 IS NOT NULL THEN $4 ELSE error_message END,
                sent_at = CASE WHEN $2 IN ({Reached}) THEN coalesce(sent_at, now()) ELSE sent_at END,
                delivered_at = CASE WHEN $2 = '{MessageLifecycle.Delivered}' THEN coalesce(delivered_at, now()) ELSE delivered_at END,
                updated_at = now()
            WHERE twilio_sid = $1 AND message_status_rank(status) < message_status_rank($2)
            RETURNING client_id),
        stored AS (
            INSERT INTO message_status_callbacks (twilio_sid, status, error_code, error_message, received_at)
            SELECT $1, $2, $3, $4, now() WHERE NOT EXISTS (SELECT 1 FROM messages WHERE twilio_sid = $1)
            ON CONFLICT (twilio_sid, status) DO NOTHING)
        SELECT client_id FROM moved
        """;

    /// <summary>
    /// Applies a callback whose StatusCallback URL carried our message id ($1 SID, $2 status, $3 error code, $4 error
    /// message, $5 message id, $6 the callback's From), to that message only. A message with no SID yet gets this one (a callback that came
    /// before the Dispatcher's 'sent' mark, or for a create whose answer was lost), unless another message already
    /// has it; then it moves forward, never back. A message with another SID is left alone. Returns the client when
    /// the status moved. The row is locked before the SID's lock (which the SID trigger takes), the order the
    /// Dispatcher's 'sent' mark takes them in, so no <see cref="LockSid"/> comes first. A <c>scheduled</c> message moves
    /// too: only a send of ours carries its id, so Twilio has it (a take-over whose look-up missed it sent it back to
    /// wait), and it must not be released and sent again.
    /// </summary>
    public static readonly string ApplyCallbackForMessage = $"""
        WITH target AS (
            SELECT id, (message_status_rank(status) < message_status_rank($2) OR status = '{MessageLifecycle.Scheduled}') AS advances
            FROM messages
            WHERE id = $5 AND (twilio_sid = $1 OR (twilio_sid IS NULL AND NOT EXISTS (SELECT 1 FROM messages other WHERE other.twilio_sid = $1)))
            FOR NO KEY UPDATE),
        moved AS (
            UPDATE messages m SET twilio_sid = $1, from_phone = coalesce(m.from_phone, $6),
                status = CASE WHEN t.advances THEN $2 ELSE m.status END,
                error_code = CASE WHEN t.advances THEN coalesce($3, m.error_code) ELSE m.error_code END,
                error_message = CASE WHEN t.advances AND $3 IS NOT NULL THEN $4 ELSE m.error_message END,
                sent_at = CASE WHEN t.advances AND $2 IN ({Reached}) THEN coalesce(m.sent_at, now()) ELSE m.sent_at END,
                delivered_at = CASE WHEN t.advances AND $2 = '{MessageLifecycle.Delivered}' THEN coalesce(m.delivered_at, now()) ELSE m.delivered_at END,
                updated_at = now()
            FROM target t
            WHERE m.id = t.id AND (t.advances OR m.twilio_sid IS NULL)
            RETURNING m.client_id, t.advances)
        SELECT client_id FROM moved WHERE advances
        """;
}
