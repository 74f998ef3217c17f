using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Messaging.Tests.Outbox;

public sealed class OutboxPublishingTests : IsolatedBackends
{
    [Fact]
    public async Task ACommittedEventIsPublishedWithTheOutboxRowIdAsItsMessageId()
    {
        await using var host = await RelayHost.StartAsync(Database, Broker.Url);

        var ids = await host.CommitEventsAsync(3);

        await Eventually.WaitAsync(() => host.Received.Deliveries.Count == 3, "three deliveries");
        Assert.Equal(ids.Order(), host.Received.Deliveries.Select(d => d.MessageId!.Value).Order());
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "the rows to be marked published");
        Assert.Equal(3L, await Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NOT NULL AND attempts = 1"));
    }

    [Fact]
    public async Task ARolledBackTransactionPublishesNothing()
    {
        await using var host = await RelayHost.StartAsync(Database, Broker.Url);
        await using var db = Database.CreateDbContext();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            db.Clients.Add(new Client { Name = "rolled back", Email = "x@x.test", ApiKeyPrefix = "sk_rollback", ApiKeyHash = new byte[32] });
            db.AddOutboxMessage(RelayHost.NewEvent());
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        // A marker committed afterwards is published after anything committed before it would have been.
        var marker = (await host.CommitEventsAsync(1)).Single();

        await Eventually.WaitAsync(() => host.Received.CountOf(marker) == 1, "the marker event");
        Assert.Single(host.Received.Deliveries);
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM clients"));
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"));
    }

    [Fact]
    public async Task DomainRowsAndOutboxRowsCommitTogether()
    {
        await using var host = await RelayHost.StartAsync(Database, Broker.Url);

        var ids = await host.CommitEventsAsync(1, db =>
            db.Clients.Add(new Client { Name = "together", Email = "t@x.test", ApiKeyPrefix = "sk_together", ApiKeyHash = new byte[32] }));

        await Eventually.WaitAsync(() => host.Received.CountOf(ids[0]) == 1, "the event");
        await using var db = Database.CreateDbContext();
        Assert.True(await db.Clients.AnyAsync(c => c.Name == "together"));
    }

    [Fact]
    public async Task EventsCommittedWhileNoRelayRunsArePublishedWhenOneStarts()
    {
        await using (var db = Database.CreateDbContext())
        {
            for (var i = 0; i < 250; i++)
            {
                db.AddOutboxMessage(RelayHost.NewEvent());
            }

            await db.SaveChangesAsync();
        }

        await using var host = await RelayHost.StartAsync(Database, Broker.Url);

        await Eventually.WaitAsync(() => host.Received.Deliveries.Count == 250, "all 250 events");
        Assert.Equal(250, host.Received.Deliveries.Select(d => d.MessageId).Distinct().Count());
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "no pending rows");
    }

    [Fact]
    public async Task ACommitWakesTheRelayWithoutWaitingForThePollInterval()
    {
        var settings = new Dictionary<string, string?> { ["Outbox:PollInterval"] = "00:10:00" };
        await using var host = await RelayHost.StartAsync(Database, Broker.Url, settings);

        var ids = await host.CommitEventsAsync(1);

        await Eventually.WaitAsync(() => host.Received.CountOf(ids[0]) == 1, "the event, long before the 10-minute poll", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task AWriterWithoutARelayWakesAnotherProcesssRelayByNotify()
    {
        var relaySettings = new Dictionary<string, string?> { ["Outbox:PollInterval"] = "00:10:00" };
        await using var relay = await RelayHost.StartAsync(Database, Broker.Url, relaySettings);
        var writerSettings = new Dictionary<string, string?> { ["Outbox:RelayEnabled"] = "false" };
        await using var writer = await RelayHost.StartAsync(Database, Broker.Url, writerSettings, consume: false);
        // The relay's LISTEN connection announces itself with a catch-up round; after that only NOTIFY wakes it.
        await Eventually.WaitAsync(
            () => Database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN outbox_messages'"),
            listeners => listeners == 1, "the relay to listen");

        var ids = await writer.CommitEventsAsync(1);

        await Eventually.WaitAsync(() => relay.Received.CountOf(ids[0]) == 1, "the event, long before the 10-minute poll", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task RepublishingAfterACrashReusesTheMessageId()
    {
        await using var host = await RelayHost.StartAsync(Database, Broker.Url);
        var id = (await host.CommitEventsAsync(1)).Single();
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "the first publish");

        // As if the relay died after the broker's confirm but before its own commit: the row is pending again.
        await Database.ExecuteAsync("UPDATE outbox_messages SET published_at = NULL WHERE id = $1", id);
        host.GetRequiredService<OutboxSignal>().Notify();

        await Eventually.WaitAsync(() => host.Received.CountOf(id) == 2, "the second delivery");
        Assert.All(host.Received.Deliveries, delivery => Assert.Equal(id, delivery.MessageId));
    }
}
