namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>What <see cref="TwilioSignatureFilter"/> needs to rebuild the URL Twilio signed, bound from the <c>Api</c> section.</summary>
internal sealed class WebhookSignatureOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// The public URL of this Api's root as Twilio calls it (e.g. <c>https://sms.example.com</c>): Twilio signs the URL
    /// it was given, so webhooks rebuild it from this and the request's path and query, never from the Host header.
    /// Unset: every webhook is refused (403).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}
