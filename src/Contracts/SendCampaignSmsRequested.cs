namespace SmsRemarketing.Contracts;

/// <summary>
/// A campaign's message was queued and should be sent: <see cref="SendSmsRequested"/> in a lane of its own (its own
/// queue and consumers), so a campaign draining never puts a manual send or a trigger's message behind it. Consumers
/// deduplicate on <see cref="MessageId"/>.
/// </summary>
public sealed record SendCampaignSmsRequested
{
    public required Guid MessageId { get; init; }
    public required Guid ClientId { get; init; }
    public required Guid CampaignId { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
