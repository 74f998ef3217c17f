namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>How a message's send ended, as recorded on its row.</summary>
internal enum SendOutcome
{
    /// <summary>Another delivery of the event already took the message; nothing was done.</summary>
    Duplicate,
    Sent,
    Failed,
    Suppressed,

    /// <summary>Twilio may or may not have the message; the reconciler finds out before anything is resent.</summary>
    Unknown,
}
