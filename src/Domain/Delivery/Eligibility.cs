using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>What <see cref="SendEligibility"/> says about one SMS now, with the reason a person reads.</summary>
/// <param name="Outcome">Which condition decided.</param>
/// <param name="Reason">Why it may not go now, worded for the message's record and for problem details.</param>
/// <param name="At">For <see cref="EligibilityOutcome.Deferred"/> and <see cref="EligibilityOutcome.OutsideWindow"/>: when it may go; for <see cref="EligibilityOutcome.DailyCapReached"/>: when the cap resets.</param>
/// <param name="Rule">For a destination refused or a daily cap reached: the rule's name (e.g. <c>destination.country_not_allowed</c>).</param>
public sealed record Eligibility(EligibilityOutcome Outcome, string? Reason = null, DateTimeOffset? At = null, string? Rule = null)
{
    public static readonly Eligibility Eligible = new(EligibilityOutcome.Eligible);

    public bool IsEligible => Outcome == EligibilityOutcome.Eligible;

    /// <summary>
    /// Where a message already recorded (released, claimed or resumed) goes when it may not be sent now: the same
    /// status for the same condition at every step. Null when it is eligible.
    /// </summary>
    public RecordedOutcome? ForRecordedMessage => Outcome switch
    {
        EligibilityOutcome.Eligible => null,
        EligibilityOutcome.ClientInactive => new(MessageStatus.Skipped, "Skipped: the client is inactive.", null),
        EligibilityOutcome.CampaignPaused => new(MessageStatus.Scheduled, Reason!, At),
        EligibilityOutcome.CampaignCanceled => new(MessageStatus.Canceled, Reason!, null),
        EligibilityOutcome.OptedOut or EligibilityOutcome.AwaitingConfirmation => new(MessageStatus.Suppressed, Reason!, null),
        EligibilityOutcome.NoCredit => new(MessageStatus.Failed, "Insufficient credits.", null),
        // Never sent and never charged, the rule named: the operator narrowed the destinations after it was queued, or
        // the day's cap filled first. Not deferred to the reset: tomorrow's sends would then start behind today's.
        EligibilityOutcome.DestinationRefused or EligibilityOutcome.DailyCapReached => new(MessageStatus.Skipped, $"Skipped: {Reason}", null),
        // A manual send queued inside the window but not sent before it closed waits for the next opening.
        EligibilityOutcome.OutsideWindow or EligibilityOutcome.Deferred => new(MessageStatus.Scheduled, Reason!, At),
        EligibilityOutcome.Skipped => new(MessageStatus.Skipped, Reason!, null),
        _ => throw new InvalidOperationException($"Unknown outcome {Outcome}."),
    };
}

/// <summary>The status a recorded message settles in, why, and for <c>scheduled</c> when it is due.</summary>
public sealed record RecordedOutcome(MessageStatus Status, string Reason, DateTimeOffset? SendAfter);
