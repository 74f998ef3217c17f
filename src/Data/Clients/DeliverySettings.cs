namespace SmsRemarketing.Data.Clients;

/// <summary>The defaults of a client's delivery policy (quiet hours, frequency cap, segments), as a new client gets them.</summary>
public static class DeliverySettings
{
    public static readonly TimeOnly DefaultWindowStart = new(8, 0);
    public static readonly TimeOnly DefaultWindowEnd = new(21, 0);

    /// <summary>Twilio's practical maximum: it sends up to 10 segments (1,600 characters) as one message.</summary>
    public const int MaxSegmentsLimit = 10;

    /// <summary>The rolling windows are counted from the lead's recent messages; longer windows would mean scanning a long history.</summary>
    public const int MaxCapWindowHours = 24 * 31;

    public const int MaxCapRules = 5;

    public static List<FrequencyCapRule> DefaultFrequencyCaps() => [new(1, 24), new(3, 24 * 7)];
}
