namespace SmsRemarketing.Twilio;

/// <summary>
/// Twilio did not process the request (429/20429, a 5xx, or no connection could be made), so retrying later is
/// expected to be safe. <paramref name="HttpStatus"/> is null when the request never reached Twilio.
/// <see cref="RetryAfter"/> is the server's <c>Retry-After</c>, when it sent one.
/// </summary>
public sealed record SendTransient(int? HttpStatus, int? Code, string Message, TimeSpan? RetryAfter) : TwilioSendResult;
