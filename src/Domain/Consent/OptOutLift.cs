using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Domain.Consent;

/// <summary>What an attempt to lift a number's opt-out did.</summary>
public sealed record OptOutLift(OptOutLiftOutcome Outcome, ConsentEventSource? RecordedBy = null)
{
    public static readonly OptOutLift Lifted = new(OptOutLiftOutcome.Lifted);
    public static readonly OptOutLift NotOptedOut = new(OptOutLiftOutcome.NotOptedOut);

    /// <summary>The opt-out was the person's own (<paramref name="recordedBy"/>): only an opt-in from their phone lifts it.</summary>
    public static OptOutLift OnlyThePerson(ConsentEventSource recordedBy) => new(OptOutLiftOutcome.OnlyThePersonMayLift, recordedBy);

    /// <summary>Why the client may not lift it, worded for problem details.</summary>
    public string Refusal => $"The number opted out itself ({ConsentEventSources.Name(RecordedBy ?? ConsentEventSource.Keyword)}): "
        + "only the person can opt back in, by texting START, UNSTOP or YES from that phone.";
}

public enum OptOutLiftOutcome
{
    Lifted,
    NotOptedOut,
    OnlyThePersonMayLift,
}
