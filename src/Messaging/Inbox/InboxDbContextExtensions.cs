using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;

namespace SmsRemarketing.Messaging.Inbox;

public static class InboxDbContextExtensions
{
    /// <summary>
    /// Records that <paramref name="consumer"/> handles <paramref name="messageId"/>, in the caller's transaction.
    /// Returns false when it was already recorded: the message is a duplicate and must have no effect. A concurrent
    /// duplicate waits here until the first transaction ends, then gets false (or true if the first rolled back).
    /// </summary>
    public static async Task<bool> TryMarkProcessedAsync(
        this SmsDbContext db, string consumer, Guid messageId, CancellationToken cancellationToken)
    {
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO processed_messages (consumer, message_id, processed_at) VALUES ({consumer}, {messageId}, now()) ON CONFLICT DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }
}
