using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>
/// A message moved to <c>sending</c> (claimed, or taken over when stuck), with what its send needs.
/// <see cref="CreditCost"/> is what it costs: 1, or its segments for a client that pays per segment (set when it was
/// queued). <see cref="AttemptStartedAt"/> is when this claim began (the database's clock): Twilio created nothing
/// for it before then.
/// </summary>
public sealed record ClaimedMessage(
    Guid Id,
    Guid ClientId,
    Guid LeadId,
    string To,
    string Body,
    string? ClientFromNumber,
    string? ClientMessagingServiceSid,
    DateTimeOffset AttemptStartedAt,
    int CreditCost)
{
    /// <summary>
    /// For a taken-over message: where it goes if Twilio turns out not to have it (outside the sending window, over
    /// the frequency cap), instead of being sent now. Null: send it.
    /// </summary>
    public RecordedOutcome? UnlessAtTwilio { get; init; }
}
