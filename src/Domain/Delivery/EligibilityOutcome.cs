namespace SmsRemarketing.Domain.Delivery;

/// <summary>One outcome per condition of <see cref="SendEligibility"/>.</summary>
public enum EligibilityOutcome
{
    Eligible,
    ClientInactive,

    /// <summary>Its campaign is paused: it waits, <c>scheduled</c>, for the campaign to resume.</summary>
    CampaignPaused,

    /// <summary>Its campaign was canceled.</summary>
    CampaignCanceled,
    OptedOut,

    /// <summary>Double opt-in: the lead has not confirmed yet, and this is not its confirmation SMS.</summary>
    AwaitingConfirmation,
    NoCredit,

    /// <summary>The client may not text the number (its country or its type): <see cref="Eligibility.Rule"/> says which.</summary>
    DestinationRefused,

    /// <summary>A daily cap of the client is reached; <see cref="Eligibility.At"/> is when it resets.</summary>
    DailyCapReached,

    /// <summary>A manual marketing send outside the sending window: refused when it is asked for.</summary>
    OutsideWindow,

    /// <summary>The policy allows it later (quiet hours, or the frequency cap with action defer).</summary>
    Deferred,

    /// <summary>Over the frequency cap of a client whose cap action is skip.</summary>
    Skipped,
}
