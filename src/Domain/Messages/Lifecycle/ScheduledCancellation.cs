using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>
/// scheduled → canceled: the client calls off a message that is waiting, and it is never sent. One statement that
/// names the status it leaves, so a message the releaser queued first (or that was settled, or canceled already) is
/// left alone and the caller learns it from the count. It cannot race the releaser into a send: the releaser claims
/// with <c>FOR UPDATE SKIP LOCKED</c>, so this waits for a release in progress and then finds the row no longer
/// <c>scheduled</c>, and a release that starts after it skips the locked row and then never sees it. It never makes
/// the releaser wait, so the two never deadlock. No credit moves here: a scheduled message was not debited, and one
/// that kept a debit (a taken-over message sent back to wait) gets it back from the database (trigger
/// <c>messages_refund_unsent</c>).
/// </summary>
public static class ScheduledCancellation
{
    /// <summary>What a message canceled by its client records as its reason.</summary>
    public const string ByClient = "Canceled by the client before it was sent.";

    /// <summary>Cancels the client's message if it is still <c>scheduled</c>; false when it is not (or is not the client's).</summary>
    public static async Task<bool> CancelScheduledAsync(
        SmsDbContext db, Guid clientId, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await CancelScheduledWhereAsync(
            db.Messages.Where(m => m.Id == messageId && m.ClientId == clientId), ByClient, now, cancellationToken) == 1;
    }

    /// <summary>
    /// Cancels every message of <paramref name="messages"/> that is still <c>scheduled</c>, in one statement, recording
    /// <paramref name="reason"/>; returns how many it canceled. The caller narrows <paramref name="messages"/> to its
    /// own (a client's, a campaign's): this adds only the status.
    /// </summary>
    public static Task<int> CancelScheduledWhereAsync(
        IQueryable<Message> messages, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        // The status as a constant, so the statement can use the partial index of scheduled rows.
        return messages.Where(m => m.Status == MessageStatus.Scheduled).ExecuteUpdateAsync(set => set
            .SetProperty(m => m.Status, MessageStatus.Canceled)
            .SetProperty(m => m.ErrorMessage, reason)
            .SetProperty(m => m.UpdatedAt, now), cancellationToken);
    }
}
