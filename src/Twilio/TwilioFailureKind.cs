namespace SmsRemarketing.Twilio;

public enum TwilioFailureKind
{
    /// <summary>Sending the same request again gives the same answer; do not retry.</summary>
    Permanent,

    /// <summary>Twilio did not process the request; retry later with backoff.</summary>
    Transient,
}
