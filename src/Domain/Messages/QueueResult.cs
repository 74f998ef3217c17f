using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Messages;

/// <summary>The queued <see cref="Message"/>, or the <see cref="Rejection"/> and its details.</summary>
public sealed record QueueResult
{
    public Message? Message { get; private init; }
    public MessageRejection? Rejection { get; private init; }
    public string? Detail { get; private init; }
    public IReadOnlyList<string> MissingVariables { get; private init; } = [];

    public bool IsQueued => Message is not null;

    public static QueueResult Queued(Message message) => new() { Message = message };

    public static QueueResult Rejected(MessageRejection rejection, string detail, IReadOnlyList<string>? missingVariables = null) =>
        new() { Rejection = rejection, Detail = detail, MissingVariables = missingVariables ?? [] };
}
