using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Messages;

/// <summary>
/// The queued (or scheduled) <see cref="Message"/>; or the <see cref="Rejection"/> and its details; or, when
/// recorded but never to be sent (suppressed, skipped), both: the message that records the send and why.
/// </summary>
public sealed record QueueResult
{
    public Message? Message { get; private init; }
    public MessageRejection? Rejection { get; private init; }
    public string? Detail { get; private init; }
    public IReadOnlyList<string> MissingVariables { get; private init; } = [];

    /// <summary>For <see cref="MessageRejection.OutsideSendingWindow"/>: when the window opens; for <see cref="MessageRejection.DailyCapReached"/>: when the cap resets.</summary>
    public DateTimeOffset? RetryAt { get; private init; }

    /// <summary>For <see cref="MessageRejection.DestinationRefused"/> and <see cref="MessageRejection.DailyCapReached"/>: the rule's name.</summary>
    public string? Rule { get; private init; }

    /// <summary>What the message costs (or would have), when it was priced.</summary>
    public int? CreditCost { get; private init; }

    /// <summary>A message was queued, or scheduled for later, and will be sent.</summary>
    public bool IsQueued => Message is not null && Rejection is null;

    /// <summary>Queued for later: the message is <c>scheduled</c> (quiet hours, frequency cap: <see cref="Detail"/> says why; or its <c>SendAt</c>).</summary>
    public bool IsScheduled => IsQueued && Message!.Status == MessageStatus.Scheduled;

    /// <summary>The send was recorded as a <c>suppressed</c> or <c>skipped</c> <see cref="Message"/>; nothing will be sent.</summary>
    public bool IsSuppressed => Message is not null && Rejection is not null;

    public static QueueResult Queued(Message message) => new() { Message = message, Detail = message?.ErrorMessage };

    public static QueueResult Suppressed(Message message, MessageRejection reason, string detail) =>
        new() { Message = message, Rejection = reason, Detail = detail };

    public static QueueResult Rejected(
        MessageRejection rejection, string detail, IReadOnlyList<string>? missingVariables = null, DateTimeOffset? retryAt = null) =>
        new() { Rejection = rejection, Detail = detail, MissingVariables = missingVariables ?? [], RetryAt = retryAt };

    /// <summary>Refused by a rule of the client's destinations or daily caps, with what it would have cost.</summary>
    public static QueueResult Refused(MessageRejection rejection, string rule, string detail, int? creditCost, DateTimeOffset? retryAt = null) =>
        new() { Rejection = rejection, Rule = rule, Detail = detail, CreditCost = creditCost, RetryAt = retryAt };
}
