namespace SmsRemarketing.Twilio;

/// <summary>
/// Twilio refused the request for good (HTTP 4xx other than 429): no message exists and sending the same request
/// again gives the same answer. <see cref="TwilioErrorCodes"/> names the codes (21211, 21610, 21408, 21614, 20003…).
/// </summary>
public sealed record SendRejected(int HttpStatus, int? Code, string Message, Uri? MoreInfo) : TwilioSendResult;
