namespace SmsRemarketing.TwilioEmulator.Callbacks;

/// <summary>One status-callback attempt as sent, and what the receiver answered.</summary>
/// <param name="HttpStatus">Null when no HTTP answer came (connection refused, timeout); see <paramref name="Error"/>.</param>
/// <param name="MessageSid">The message the callback is about.</param>
/// <param name="Url">The exact URL posted to and signed over.</param>
/// <param name="MessageStatus">The status the callback reports.</param>
/// <param name="Fields">The form fields sent.</param>
/// <param name="Signature">The X-Twilio-Signature header sent.</param>
/// <param name="Attempt">1, or 2 for Twilio's single retry after a connection failure.</param>
/// <param name="Error">Why no HTTP answer came.</param>
/// <param name="SentAt">When the attempt started.</param>
public sealed record CallbackRecord(
    string MessageSid,
    string Url,
    string MessageStatus,
    IReadOnlyDictionary<string, string> Fields,
    string Signature,
    int Attempt,
    int? HttpStatus,
    string? Error,
    DateTimeOffset SentAt);
