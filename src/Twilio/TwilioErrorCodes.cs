namespace SmsRemarketing.Twilio;

/// <summary>
/// Twilio error codes this project meets. Sources: docs/twilio.md unless marked "inferred" (not in docs/twilio.md;
/// chosen from Twilio's error dictionary or by analogy, so treat the exact number as a guess).
/// </summary>
public static class TwilioErrorCodes
{
    // REST API (HTTP) errors.
    public const int AuthenticationFailed = 20003;
    public const int NotFound = 20404;
    public const int TooManyRequests = 20429;

    /// <summary>Inferred: Twilio's generic internal server error.</summary>
    public const int InternalServerError = 20500;

    /// <summary>Inferred: Twilio's generic service unavailable.</summary>
    public const int ServiceUnavailable = 20503;

    public const int InvalidTo = 21211;
    public const int InvalidFrom = 21212;
    public const int RegionNotPermitted = 21408;
    public const int BodyRequired = 21602;

    /// <summary>Inferred: neither From nor MessagingServiceSid.</summary>
    public const int FromRequired = 21603;

    /// <summary>Inferred (the brief's choice): To missing.</summary>
    public const int ToRequired = 21604;

    public const int FromNotOwned = 21606;

    /// <summary>Twilio's page 21609 (not in docs/twilio.md): invalid StatusCallback URL.</summary>
    public const int InvalidStatusCallback = 21609;

    public const int RecipientOptedOut = 21610;
    public const int SenderQueueFull = 21611;
    public const int Unroutable = 21612;
    public const int NotSmsCapable = 21614;

    /// <summary>Twilio's page 21617 (not in docs/twilio.md): body over 1,600 characters.</summary>
    public const int BodyTooLong = 21617;

    public const int BodyOrMediaRequired = 21619;

    /// <summary>Inferred: a MediaUrl that is not an absolute URL.</summary>
    public const int InvalidMediaUrl = 21620;

    /// <summary>Inferred: more than 10 MediaUrl values.</summary>
    public const int TooManyMediaUrls = 21623;

    public const int LandlineRecipient = 21635;

    /// <summary>Twilio's page 21655 (not in docs/twilio.md): ContentSid invalid.</summary>
    public const int InvalidContentSid = 21655;

    /// <summary>Inferred: MessagingServiceSid does not match ^MG[0-9a-fA-F]{32}$.</summary>
    public const int InvalidMessagingServiceSid = 21701;

    /// <summary>Twilio's page 90007 (not in docs/twilio.md): ValidityPeriod outside 1–36000.</summary>
    public const int InvalidValidityPeriod = 90007;

    // Delivery errors: they arrive in status callbacks (ErrorCode) and in error_code, never as HTTP errors.
    public const int QueueOverflow = 30001;
    public const int UnreachableHandset = 30003;
    public const int MessageBlocked = 30004;
    public const int UnknownDestination = 30005;
    public const int LandlineOrUnreachableCarrier = 30006;
    public const int CarrierFiltered = 30007;
    public const int UnknownError = 30008;

    /// <summary>Classifies an HTTP answer to a create: 429 (20429) and 5xx are transient, every other 4xx is permanent.</summary>
    /// <exception cref="ArgumentOutOfRangeException">For a status that is not an error (below 400).</exception>
    public static TwilioFailureKind Classify(int httpStatus, int? code)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(httpStatus, 400);
        return httpStatus == 429 || code == TooManyRequests || httpStatus >= 500
            ? TwilioFailureKind.Transient
            : TwilioFailureKind.Permanent;
    }

    /// <summary>The recipient asked not to be messaged (STOP): suppress the lead, do not retry.</summary>
    public static bool IsOptOut(int? code) => code == RecipientOptedOut;

    /// <summary>
    /// Create-time codes that say this recipient number cannot get SMS at all; the lead's number is bad, not the request.
    /// </summary>
    public static bool IsUndeliverableRecipient(int? code) =>
        code is InvalidTo or NotSmsCapable or LandlineRecipient;

    /// <summary>
    /// Delivery errors worth another attempt later (handset off, queue overflow, unknown). The others (blocked,
    /// unknown destination, landline, filtered) will fail the same way again.
    /// </summary>
    public static bool IsRetryableDeliveryError(int? code) =>
        code is QueueOverflow or UnreachableHandset or UnknownError;
}
