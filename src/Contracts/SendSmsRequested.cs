namespace SmsRemarketing.Contracts;

/// <summary>
/// A message row was queued and should be sent. Consumers deduplicate on <see cref="MessageId"/>:
/// one message row is one SMS attempt, however often this event is delivered.
/// </summary>
public sealed record SendSmsRequested
{
    public required Guid MessageId { get; init; }
    public required Guid ClientId { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
}
