namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>What a sender holds: the message is still <c>sending</c>, with the clock it last set or read.</summary>
/// <param name="HeldSince">The message's <c>last_attempt_at</c>: whoever moves it (the reconciler taking over, another
/// sender) holds the message from then on.</param>
/// <param name="RecordedSid">The SID a status callback carrying this message's id recorded before any 'sent' mark.</param>
public sealed record SendingHold(DateTimeOffset HeldSince, string? RecordedSid);
