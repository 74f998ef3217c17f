namespace SmsRemarketing.Twilio;

/// <summary>
/// The request may have reached Twilio but no usable answer came back (timeout, connection dropped after sending,
/// unreadable 2xx body, caller cancelled mid-flight). The message may exist: never resend blindly; reconcile first,
/// e.g. <see cref="TwilioMessagesClient.ListAsync"/> by recipient.
/// <see cref="HttpStatus"/> is set when a status line arrived but its body could not be used.
/// </summary>
public sealed record SendAmbiguous(string Reason, int? HttpStatus, Exception? Exception) : TwilioSendResult;
