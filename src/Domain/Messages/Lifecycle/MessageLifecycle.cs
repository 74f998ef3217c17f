using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>
/// The life of a message, and who moves it. Every change of a message's status is made by one of these, and by
/// nothing else; each names the status it leaves (<c>WHERE status = …</c>), so a late or duplicate caller changes
/// nothing, and each applies <see cref="Delivery.SendEligibility"/> where it could lead to a send.
/// <list type="table">
/// <item><term>queue</term><description>(new) → queued | scheduled | suppressed | skipped: <see cref="OutgoingMessages"/> (Api, triggers); a send with <c>send_at</c> is <c>scheduled</c> until then; a campaign's messages are all written <c>scheduled</c> at their due instant by <c>Campaigns.CampaignScheduling</c>.</description></item>
/// <item><term>release</term><description>scheduled → queued | scheduled | suppressed | skipped | failed: <see cref="DeferredRelease"/> (the Scheduler's loop; a campaign's by its campaign pass, <c>Campaigns.CampaignDelivery</c>, under the campaign's throttle).</description></item>
/// <item><term>cancel</term><description>scheduled → canceled: <see cref="ScheduledCancellation"/> (the Api's <c>POST /messages/{id}/cancel</c>; in bulk, a canceled campaign's, <c>Campaigns.CampaignControl</c>).</description></item>
/// <item><term>claim</term><description>queued → sending (debited; a campaign's from its reservation) | scheduled (also: its campaign paused) | suppressed | skipped | failed | canceled (its campaign canceled): <see cref="MessageTransitions.ClaimAsync"/> (the Dispatcher's consumer).</description></item>
/// <item><term>outcome</term><description>sending → sent | failed: <see cref="MessageTransitions.MarkSentAsync"/>, <see cref="MessageTransitions.MarkFailedAsync"/>.</description></item>
/// <item><term>take-over</term><description>sending (stuck) → sending | suppressed | skipped, then → sent | failed | scheduled | skipped: <see cref="MessageTransitions.TakeOverStuckAsync"/>, <see cref="MessageTransitions.SettleAsync"/> (the Dispatcher's reconciler).</description></item>
/// <item><term>callback</term><description>sending | sent → sent | delivered | undelivered | failed, forward only by <c>message_status_rank</c>: <see cref="StatusCallbackSql"/> (the Api's webhook), and the database trigger that applies callbacks stored before the SID was known.</description></item>
/// </list>
/// Credits follow the status, kept by the database: the claim debits <see cref="Message.CreditCost"/>; a message that
/// ends <c>failed</c>, <c>suppressed</c>, <c>skipped</c> or <c>canceled</c> after its debit gets it back (trigger
/// <c>messages_refund_unsent</c>). So a client pays for what Twilio accepted (sent, delivered, undelivered), and not
/// for a create Twilio refused, an attempt that never reached it, or a message Twilio reports failed or canceled
/// (its <c>canceled</c> is stored <c>failed</c>).
/// A taken-over message sent back to <c>scheduled</c> keeps its debit (it is prepaid when claimed again).
/// </summary>
public static class MessageLifecycle
{
    /// <summary>The status as stored and as the Api speaks it.</summary>
    public static string Name(MessageStatus status) => SnakeCaseEnumConverter.ToSnakeCase(status);

    // The names the SQL of this folder is written with, derived from the enum (never re-typed).
    internal static readonly string Scheduled = Name(MessageStatus.Scheduled);
    internal static readonly string Queued = Name(MessageStatus.Queued);
    internal static readonly string Sending = Name(MessageStatus.Sending);
    internal static readonly string Sent = Name(MessageStatus.Sent);
    internal static readonly string Delivered = Name(MessageStatus.Delivered);
    internal static readonly string Undelivered = Name(MessageStatus.Undelivered);
    internal static readonly string Failed = Name(MessageStatus.Failed);
    internal static readonly string Manual = SnakeCaseEnumConverter.ToSnakeCase(MessageSource.Manual);
    internal static readonly string Confirmation = SnakeCaseEnumConverter.ToSnakeCase(MessageSource.Confirmation);

    /// <summary>The statuses the frequency cap counts (<see cref="Delivery.FrequencyCap"/>), as an SQL list.</summary>
    internal static readonly string CappedStatusList = string.Join(", ", Delivery.FrequencyCap.CountedStatuses.Select(s => $"'{Name(s)}'"));

    /// <summary>How a recorded message's settling at a claim or take-over reads in the Dispatcher's outcomes.</summary>
    public static SendOutcome OutcomeOf(MessageStatus settledIn) => settledIn switch
    {
        MessageStatus.Suppressed => SendOutcome.Suppressed,
        MessageStatus.Skipped => SendOutcome.Skipped,
        MessageStatus.Scheduled => SendOutcome.Deferred,
        _ => SendOutcome.Failed,
    };
}
