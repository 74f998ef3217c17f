using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// The one rule for whether an SMS may go out now, checked at every step of its life that could send it: when it
/// is queued (<c>OutgoingMessages</c>), when a deferred one is released, when the Dispatcher claims it just before
/// calling Twilio, and when a stuck one is resumed. The conditions, in this order: the client is active, the
/// number has not opted out, the lead is not waiting to confirm a double opt-in (unless this is its confirmation), the
/// client may text the number (<see cref="DestinationPolicy"/>: its country and type), the client's daily caps
/// (<see cref="DailySpend"/>, unless the message is already paid for), the client has the credit (unless the message
/// is already paid for), and the client's delivery policy (<see cref="DeliveryPolicy"/>: for marketing, the frequency
/// cap for automated sends and the sending window in the
/// recipient's zone). Pure: the caller brings the state as its step read it.
/// </summary>
public static class SendEligibility
{
    /// <param name="client">The client as the step read it (its balance: what is left for this message).</param>
    /// <param name="lead">The recipient as the step read it.</param>
    /// <param name="send">The message's own facts.</param>
    /// <param name="recentAutomatedSends">When the lead's other counted automated messages were queued (<see cref="FrequencyCap"/>).</param>
    /// <param name="now">The time of the decision.</param>
    /// <param name="spentToday">What the client spent today; required when it has a daily cap (and the message is not prepaid).</param>
    public static Eligibility Check(
        SendingPolicy client, Recipient lead, SendFacts send, IEnumerable<DateTimeOffset> recentAutomatedSends, DateTimeOffset now,
        DailySpend? spentToday = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(send);
        if (!client.IsActive)
        {
            return new(EligibilityOutcome.ClientInactive, "The client is inactive.");
        }

        // A pause or a cancel holds at the moment of sending too, not only for messages not yet released.
        if (send.Campaign is CampaignStatus.Paused)
        {
            return new(EligibilityOutcome.CampaignPaused, "Held: its campaign is paused.", now);
        }

        if (send.Campaign is CampaignStatus.Canceled)
        {
            return new(EligibilityOutcome.CampaignCanceled, "Canceled with its campaign.");
        }

        if (lead.OptedOutAt is { } optedOutAt)
        {
            return new(EligibilityOutcome.OptedOut, OptedOutReason(optedOutAt));
        }

        if (lead.AwaitingConfirmation && !send.Confirmation)
        {
            return new(EligibilityOutcome.AwaitingConfirmation,
                "Suppressed: the lead has not confirmed its double opt-in; nothing but the confirmation goes to it until it replies YES.");
        }

        if (client.Destinations.Check(lead.Phone) is { } refused)
        {
            return new(EligibilityOutcome.DestinationRefused, refused.Detail, Rule: refused.Rule);
        }

        if (!send.Prepaid && client.Destinations.HasDailyCap)
        {
            var spent = spentToday ?? throw new InvalidOperationException("A client with a daily cap needs what it spent today.");
            if (spent.Refusal(client.Destinations, send.CreditCost) is { } capped)
            {
                return new(EligibilityOutcome.DailyCapReached, capped.Detail, spent.ResetsAt, capped.Rule);
            }
        }

        if (!send.Prepaid && !send.Held && client.CreditsAvailable < send.CreditCost)
        {
            return new(EligibilityOutcome.NoCredit, send.CreditCost == 1
                ? "The client has no credit left."
                : $"The message costs {send.CreditCost} credits; the client has {client.CreditsAvailable}.");
        }

        var decision = DeliveryPolicy.Decide(client, lead, send.Automated, send.Category, recentAutomatedSends, now);
        return decision.Verdict switch
        {
            DeliveryVerdict.Defer => new(EligibilityOutcome.Deferred, decision.Reason, decision.At),
            DeliveryVerdict.Skip => new(EligibilityOutcome.Skipped, decision.Reason),
            DeliveryVerdict.OutsideWindow => new(EligibilityOutcome.OutsideWindow, decision.Reason, decision.At),
            _ => Eligibility.Eligible,
        };
    }

    public static string OptedOutReason(DateTimeOffset optedOutAt) =>
        $"Suppressed: the number opted out at {optedOutAt:O}.";
}

/// <summary>The facts of one message the rule reads.</summary>
/// <param name="CreditCost">What sending it costs (<c>Message.CreditCost</c>).</param>
/// <param name="Automated">Every source but a manual send.</param>
/// <param name="Category">The category recorded on it (the client's allowed categories decide, now, whether its rules or marketing's apply).</param>
/// <param name="Prepaid">Its debit was taken by an earlier claim and never refunded (a stuck message sent back to wait).</param>
/// <param name="Confirmation">The double opt-in confirmation, the one SMS a lead waiting to confirm may get.</param>
/// <param name="Held">A campaign's message: its cost was reserved when the campaign was scheduled, so the client's available credit is not checked.</param>
/// <param name="Campaign">For a campaign's message, its campaign's status now (paused and canceled hold it).</param>
public sealed record SendFacts(
    int CreditCost, bool Automated, MessageCategory Category, bool Prepaid = false, bool Confirmation = false, bool Held = false, CampaignStatus? Campaign = null);
