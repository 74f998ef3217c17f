using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Messaging.Inbox;

namespace SmsRemarketing.Messaging.Tests.Inbox;

public sealed class InboxTests : IsolatedBackends
{
    [Fact]
    public async Task AMessageIdIsProcessedOncePerConsumer()
    {
        var messageId = Guid.NewGuid();
        await using var db = Database.CreateDbContext();

        Assert.True(await db.TryMarkProcessedAsync("dispatcher", messageId, default));
        Assert.False(await db.TryMarkProcessedAsync("dispatcher", messageId, default));
        Assert.True(await db.TryMarkProcessedAsync("triggers", messageId, default));
    }

    [Fact]
    public async Task ConcurrentDuplicatesHaveOneEffect()
    {
        var messageId = Guid.NewGuid();

        // Ten deliveries of one message race, each in its own transaction doing its "effect" after the check.
        var effects = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            await using var db = Database.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            if (!await db.TryMarkProcessedAsync("racer", messageId, default))
            {
                return 0;
            }

            await db.Database.ExecuteSqlAsync($"INSERT INTO outbox_dead_letters (id, message_type, body, created_at, reason, moved_at) VALUES ({Guid.NewGuid()}, 'effect', '{{}}', now(), 'effect', now())");
            await transaction.CommitAsync();
            return 1;
        }));

        Assert.Equal(1, effects.Sum());
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters WHERE reason = 'effect'"));
    }

    [Fact]
    public async Task ARolledBackFirstAttemptLetsTheRedeliveryThrough()
    {
        var messageId = Guid.NewGuid();
        await using (var db = Database.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.True(await db.TryMarkProcessedAsync("retry", messageId, default));
            await transaction.RollbackAsync();
        }

        await using var again = Database.CreateDbContext();
        Assert.True(await again.TryMarkProcessedAsync("retry", messageId, default));
    }
}
