namespace SmsRemarketing.Data.Messages;

/// <summary>
/// The life of one SMS attempt. Stored in snake_case. Transitions only move forward:
/// [scheduled →] queued → sending → sent → delivered | undelivered, or → failed / suppressed;
/// scheduled → skipped | suppressed | canceled.
/// </summary>
public enum MessageStatus
{
    Queued,
    Sending,
    Sent,
    Delivered,
    Undelivered,
    Failed,
    Suppressed,

    /// <summary>Deferred (quiet hours, frequency cap) until <see cref="Message.SendAfter"/>; no event and no credit until released.</summary>
    Scheduled,

    /// <summary>Not sent by the client's policy (the frequency cap with action skip); the reason is in the error message. No credit.</summary>
    Skipped,

    /// <summary>Canceled by the client while <see cref="Scheduled"/>; never sent, and no credit (a debit it kept is refunded).</summary>
    Canceled,
}
