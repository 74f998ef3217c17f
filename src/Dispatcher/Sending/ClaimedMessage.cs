namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>A message this Dispatcher moved from <c>queued</c> to <c>sending</c>, with what the send needs.</summary>
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
    DateTimeOffset AttemptStartedAt);
