using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Messages;

/// <summary>
/// The queued <see cref="Message"/>; or the <see cref="Rejection"/> and its details; or, when suppressed, both: the
/// <c>suppressed</c> message that records the send (added to the unit of work, never sent) and why.
/// </summary>
public sealed record QueueResult
{
    public Message? Message { get; private init; }
    public MessageRejection? Rejection { get; private init; }
    public string? Detail { get; private init; }
    public IReadOnlyList<string> MissingVariables { get; private init; } = [];

    /// <summary>A message was queued and will be sent.</summary>
    public bool IsQueued => Message is not null && Rejection is null;

    /// <summary>The send was recorded as a <c>suppressed</c> <see cref="Message"/> (e.g. the lead opted out); nothing will be sent.</summary>
    public bool IsSuppressed => Message is not null && Rejection is not null;

    public static QueueResult Queued(Message message) => new() { Message = message };

    public static QueueResult Suppressed(Message message, MessageRejection reason, string detail) =>
        new() { Message = message, Rejection = reason, Detail = detail };

    public static QueueResult Rejected(MessageRejection rejection, string detail, IReadOnlyList<string>? missingVariables = null) =>
        new() { Rejection = rejection, Detail = detail, MissingVariables = missingVariables ?? [] };
}
