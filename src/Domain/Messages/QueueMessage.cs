using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;

namespace SmsRemarketing.Domain.Messages;

/// <summary>
/// What to queue: for <see cref="Lead"/> of <see cref="Client"/>, either a literal <see cref="Body"/> or
/// <see cref="Template"/> rendered with the lead's fields and <see cref="Variables"/>. The entities may be
/// untracked; only their values are read.
/// </summary>
public sealed record QueueMessage
{
    public required Client Client { get; init; }
    public required Lead Lead { get; init; }
    public Template? Template { get; init; }
    public string? Body { get; init; }
    public IReadOnlyDictionary<string, string?>? Variables { get; init; }
    public MessageSource Source { get; init; } = MessageSource.Manual;
    public Guid? TriggerId { get; init; }

    /// <summary>
    /// When to send it; null: now. A message for later is recorded <c>scheduled</c> with this as its
    /// <see cref="Message.SendAfter"/>, and only what it could never be sent for is refused now (see
    /// <see cref="OutgoingMessages"/>); the caller has bounded it (not in the past, not too far ahead).
    /// </summary>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>
    /// The message's category; null: the template's, else marketing. A manual send of a category the client may not
    /// use is refused; an automated one is recorded with it and sent as marketing (<c>SendingPolicy.RulesFor</c>).
    /// </summary>
    public MessageCategory? Category { get; init; }

    /// <summary>
    /// When the lead's counted automated messages were queued (<see cref="Delivery.FrequencyCap.RecentSendsAsync"/>:
    /// the saved ones and the ones the caller's unit of work holds unsaved), when the caller
    /// loaded them for many leads at once; null: <see cref="OutgoingMessages"/> reads them itself.
    /// </summary>
    public IReadOnlyList<DateTimeOffset>? RecentAutomatedSends { get; init; }

    /// <summary>
    /// What the client spent today, shared by the caller's sends of one unit of work (each queued one is added); null:
    /// <see cref="OutgoingMessages"/> reads it itself when the client has a daily cap.
    /// </summary>
    public Delivery.DailySpend? SpentToday { get; init; }
}
