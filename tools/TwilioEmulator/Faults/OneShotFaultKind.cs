namespace SmsRemarketing.TwilioEmulator.Faults;

public enum OneShotFaultKind
{
    /// <summary>429, code 20429, Retry-After; nothing stored.</summary>
    RateLimited,

    /// <summary>500, code 20500; nothing stored.</summary>
    ServerError,

    /// <summary>The message is stored and delivered, then the connection is aborted before any response.</summary>
    LostResponse,

    /// <summary>The message is stored and delivered, then a 201 with truncated JSON is sent.</summary>
    MalformedResponse,

    /// <summary>
    /// The message is stored and delivered, then 500/20500 is answered: a gateway (or Twilio itself) failing after
    /// the create took effect, so a 5xx does not prove that nothing was sent.
    /// </summary>
    ServerErrorAfterCreate,
}
