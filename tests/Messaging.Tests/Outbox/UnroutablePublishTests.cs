using SmsRemarketing.Testing;

namespace SmsRemarketing.Messaging.Tests.Outbox;

public sealed class UnroutablePublishTests : IsolatedBackends
{
    [Fact]
    public async Task EventsNoQueueIsBoundForYetStayUnpublishedUntilTheConsumerStartsThenAllArrive()
    {
        // A fresh vhost and a writer whose relay runs before any consumer has bound its queue.
        await using var writer = await RelayHost.StartAsync(Database, Broker.Url, consume: false);
        var ids = await writer.CommitEventsAsync(20);

        await Eventually.WaitAsync(
            () => Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE attempts > 0 AND last_error IS NOT NULL"),
            failed => failed == 20, "the relay to try all 20 and record the failure");
        Assert.Equal(20L, await PendingRowsAsync());

        await using var consumer = await RelayHost.StartAsync(Database, Broker.Url);

        await Eventually.WaitAsync(() => ids.All(id => consumer.Received.CountOf(id) >= 1), "all 20 events once a queue is bound", TimeSpan.FromSeconds(60));
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "no pending rows");
    }
}
