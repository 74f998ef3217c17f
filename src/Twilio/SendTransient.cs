namespace SmsRemarketing.Twilio;

/// <summary>
/// Twilio did not accept the request (429/20429, a 5xx, or no connection could be made), so trying again later is
/// expected to work. <paramref name="HttpStatus"/> is null when the request never reached Twilio.
/// <see cref="RetryAfter"/> is the server's <c>Retry-After</c>, when it sent one.
/// </summary>
public sealed record SendTransient(int? HttpStatus, int? Code, string Message, TimeSpan? RetryAfter) : TwilioSendResult
{
    /// <summary>
    /// A 5xx, from Twilio or a gateway in front of it, can be answered after the message was created: then the
    /// message may exist and a resend must first ask Twilio (as after <see cref="SendAmbiguous"/>). A 429 or a
    /// connection that was never made proves that nothing was created.
    /// </summary>
    public bool MayExist => HttpStatus >= 500;
}
