using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// What of a client decides whether one of its SMS may go out now: whether it is active, its available credit (the
/// balance less what campaigns hold), its
/// destinations and daily caps, and its delivery policy. Read from the entity at queue and release, from the claim's
/// own row read in the Dispatcher. <see cref="AllowedCategories"/>: the message categories the operator lets the client use now.
/// </summary>
public sealed record SendingPolicy(
    bool IsActive,
    long CreditsAvailable,
    string Timezone,
    bool QuietHoursEnabled,
    TimeOnly WindowStart,
    TimeOnly WindowEnd,
    IReadOnlyCollection<FrequencyCapRule> FrequencyCaps,
    FrequencyCapAction FrequencyCapAction,
    IReadOnlyCollection<MessageCategory> AllowedCategories,
    DestinationPolicy Destinations)
{
    /// <summary>
    /// The rules a message of <paramref name="category"/> goes under now: its own when the client may use it, else
    /// marketing's (the operator withdrew the category after the message was queued: it is sent as marketing).
    /// </summary>
    public MessageCategory RulesFor(MessageCategory category) =>
        AllowedCategories.Contains(category) ? category : MessageCategory.Marketing;

    public static SendingPolicy Of(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client.IsActive, client.CreditsAvailable, client.Timezone, client.QuietHoursEnabled,
            client.SendingWindowStart, client.SendingWindowEnd, client.FrequencyCaps, client.FrequencyCapAction,
            client.AllowedCategories, DestinationPolicy.Of(client));
    }
}
