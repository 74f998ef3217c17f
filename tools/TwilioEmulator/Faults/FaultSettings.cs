namespace SmsRemarketing.TwilioEmulator.Faults;

/// <summary>
/// Run-time knobs. Start-up values come from the "Emulator" section (e.g. <c>Emulator__LatencyMs=20</c>); at run time
/// <c>PUT /_emulator/faults</c> replaces them all (omitted properties take the defaults below).
/// </summary>
public sealed class FaultSettings
{
    /// <summary>Added to every Twilio API call.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Creates per second before 429/20429 answers; null or 0 = unlimited. A token bucket of one second's burst.</summary>
    public double? MaxCreatesPerSecond { get; set; }

    /// <summary>Retry-After (seconds) sent with the rate limiter's 429s.</summary>
    public int RateLimitRetryAfterSeconds { get; set; } = 1;

    /// <summary>Fraction (0–1) of creates answered 429/20429 (with Retry-After) before anything is stored, whatever the rate.</summary>
    public double RateLimitedRate { get; set; }

    /// <summary>Fraction (0–1) of creates answered 500/20500 before anything is stored.</summary>
    public double ServerErrorRate { get; set; }

    /// <summary>Fraction (0–1) of accepted creates whose connection is aborted after the message is stored.</summary>
    public double LostResponseRate { get; set; }

    /// <summary>
    /// Stores every body with its http(s) links replaced by short <c>https://twil.io/…</c> links, as Twilio's link
    /// shortening does: what a list or fetch returns then differs from the Body that was posted.
    /// </summary>
    public bool ShortenLinks { get; set; }

    /// <summary>Seeds the random draws for the three rates, for repeatable runs; null = a fresh seed.</summary>
    public int? Seed { get; set; }

    /// <summary>Wait before each status step (sending, sent, delivered) and its callback.</summary>
    public int CallbackStepDelayMs { get; set; } = 50;

    /// <summary>Recipients whose messages end undelivered (sending → sent → undelivered) with <see cref="UndeliveredErrorCode"/>.</summary>
    public IReadOnlyList<string> UndeliveredTo { get; set; } = [];

    public int UndeliveredErrorCode { get; set; } = 30003;

    public IEnumerable<string> Validate()
    {
        if (LatencyMs < 0)
        {
            yield return "LatencyMs must be 0 or more.";
        }

        if (MaxCreatesPerSecond < 0)
        {
            yield return "MaxCreatesPerSecond must be 0 or more.";
        }

        if (RateLimitRetryAfterSeconds < 0)
        {
            yield return "RateLimitRetryAfterSeconds must be 0 or more.";
        }

        if (RateLimitedRate is < 0 or > 1 || ServerErrorRate is < 0 or > 1 || LostResponseRate is < 0 or > 1)
        {
            yield return "RateLimitedRate, ServerErrorRate and LostResponseRate are fractions from 0 to 1.";
        }

        if (CallbackStepDelayMs < 0)
        {
            yield return "CallbackStepDelayMs must be 0 or more.";
        }
    }
}
