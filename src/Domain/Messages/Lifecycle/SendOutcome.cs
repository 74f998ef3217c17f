namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>How one attempt to send a message ended, as recorded on its row.</summary>
public enum SendOutcome
{
    /// <summary>Another delivery of the event already took the message, or it was settled meanwhile; nothing was done.</summary>
    Duplicate,
    Sent,
    Failed,
    Suppressed,

    /// <summary>Not sent by the client's state or policy (inactive client, frequency cap with skip).</summary>
    Skipped,

    /// <summary>Sent back to <c>scheduled</c>: outside the sending window, or over the frequency cap, when it was claimed.</summary>
    Deferred,

    /// <summary>Twilio may or may not have the message; the reconciler finds out before anything is resent.</summary>
    Unknown,
}
