using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// What of a client decides whether one of its SMS may go out now: whether it is active, its credit, its
/// destinations and daily caps, and its delivery policy. Read from the entity at queue and release, from the claim's own row read in the Dispatcher.
/// </summary>
public sealed record SendingPolicy(
    bool IsActive,
    long CreditBalance,
    string Timezone,
    bool QuietHoursEnabled,
    TimeOnly WindowStart,
    TimeOnly WindowEnd,
    IReadOnlyCollection<FrequencyCapRule> FrequencyCaps,
    FrequencyCapAction FrequencyCapAction,
    DestinationPolicy Destinations)
{
    public static SendingPolicy Of(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client.IsActive, client.CreditBalance, client.Timezone, client.QuietHoursEnabled,
            client.SendingWindowStart, client.SendingWindowEnd, client.FrequencyCaps, client.FrequencyCapAction,
            DestinationPolicy.Of(client));
    }
}
