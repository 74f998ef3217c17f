namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// A message this Dispatcher moved from <c>queued</c> to <c>sending</c>, with what the send needs. <see cref="CreditCost"/>
/// is what one attempt costs: 1, or its segments for a client that pays per segment (set when it was queued).
/// </summary>
internal sealed record ClaimedMessage(
    Guid Id,
    Guid ClientId,
    Guid LeadId,
    string To,
    string Body,
    bool ClientActive,
    bool LeadOptedOut,
    string? ClientFromNumber,
    string? ClientMessagingServiceSid,
    DateTimeOffset AttemptStartedAt,
    int CreditCost);
