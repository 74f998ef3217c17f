using System.Globalization;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// A client's rules for when an SMS may go out, the last part of <see cref="SendEligibility"/> (so applied at queue,
/// release, claim and take-over alike): the frequency cap (automated sends only) first, then quiet hours at the instant
/// the cap allows, so a deferral lands on a time both allow. Both apply to marketing only: a transactional or
/// conversational message the client may use (<see cref="SendingPolicy.RulesFor"/>) is neither capped nor held to the
/// window, at any step. Pure: the caller brings the lead's history and the time.
/// </summary>
public static class DeliveryPolicy
{
    /// <param name="client">The client's policy settings.</param>
    /// <param name="lead">The recipient (its time zone, or its number's).</param>
    /// <param name="automated">Every source but a manual send.</param>
    /// <param name="category">The message's category, as recorded on it.</param>
    /// <param name="recentAutomatedSends">When the lead's counted automated messages were queued (<see cref="FrequencyCap"/>).</param>
    /// <param name="now">The time of the decision.</param>
    public static DeliveryDecision Decide(
        SendingPolicy client, Recipient lead, bool automated, MessageCategory category, IEnumerable<DateTimeOffset> recentAutomatedSends, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(lead);
        if (client.RulesFor(category) != MessageCategory.Marketing)
        {
            return DeliveryDecision.SendNow;
        }

        DateTimeOffset? at = null;
        string? reason = null;
        if (automated && client.FrequencyCaps.Count > 0
            && FrequencyCap.AllowedFrom(client.FrequencyCaps, recentAutomatedSends, now) is { } allowed)
        {
            var cap = $"the frequency cap (at most {FrequencyCap.Describe(client.FrequencyCaps)} automated SMS per lead) is reached";
            if (client.FrequencyCapAction == FrequencyCapAction.Skip)
            {
                return DeliveryDecision.Skip($"Skipped: {cap}.");
            }

            (at, reason) = (allowed, $"Deferred: {cap} until {Format(allowed)}");
        }

        if (client.QuietHoursEnabled)
        {
            var (zone, source) = RecipientTimeZone.Of(lead.Timezone, lead.Phone, client.Timezone);
            var window = new SendingWindow(client.WindowStart, client.WindowEnd);
            if (window.NextOpening(at ?? now, zone) is { } opening)
            {
                var quiet = $"quiet hours: SMS go out between {window.Start:HH:mm} and {window.End:HH:mm} in {zone.Id} "
                    + $"(the {source}'s time zone), next at {Format(opening)}";
                if (!automated)
                {
                    return DeliveryDecision.OutsideWindow(opening, $"Outside the sending window: {quiet}{Withdrawn(client, category)}.");
                }

                (at, reason) = (opening, reason is null ? $"Deferred: {quiet}" : $"{reason}, then {quiet}");
                reason += Withdrawn(client, category);
            }
        }

        return at is { } sendAt ? DeliveryDecision.Defer(sendAt, reason + ".") : DeliveryDecision.SendNow;
    }

    /// <summary>Why a message of an exempt category is held to marketing's rules, when it is.</summary>
    private static string Withdrawn(SendingPolicy client, MessageCategory category) => category == MessageCategory.Marketing ? ""
        : $" (its category {MessageCategories.Name(category)} is not among the client's allowed categories, "
            + $"{MessageCategories.Names(client.AllowedCategories)}: it goes as marketing)";

    private static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
