namespace SmsRemarketing.Domain.Delivery;

/// <summary>One outcome per condition of <see cref="SendEligibility"/>.</summary>
public enum EligibilityOutcome
{
    Eligible,
    ClientInactive,
    OptedOut,

    /// <summary>Double opt-in: the lead has not confirmed yet, and this is not its confirmation SMS.</summary>
    AwaitingConfirmation,
    NoCredit,

    /// <summary>A manual marketing send outside the sending window: refused when it is asked for.</summary>
    OutsideWindow,

    /// <summary>The policy allows it later (quiet hours, or the frequency cap with action defer).</summary>
    Deferred,

    /// <summary>Over the frequency cap of a client whose cap action is skip.</summary>
    Skipped,
}
