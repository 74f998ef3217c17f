using Npgsql;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Messaging.Tests.Outbox;

public sealed class OutboxResilienceTests : IsolatedBackends
{
    [Fact]
    public async Task EventsCommittedWhileTheBrokerIsDownArePublishedWhenItIsBack()
    {
        await using var proxy = new TcpProxy(TestEnvironment.RabbitAmqpHostPort);
        await using var host = await RelayHost.StartAsync(Database, Broker.AmqpUrl(proxy.HostAndPort));

        proxy.Cut();
        var ids = await host.CommitEventsAsync(20);
        // The relay tried and failed while the broker was away; nothing was marked published.
        await Eventually.WaitAsync(
            () => Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE attempts > 0 AND last_error IS NOT NULL AND published_at IS NULL"),
            failed => failed == 20, "failed attempts to be recorded");
        proxy.Restore();

        await Eventually.WaitAsync(() => ids.All(id => host.Received.CountOf(id) >= 1), "all 20 events after the broker came back", TimeSpan.FromSeconds(60));
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "no pending rows");
    }

    [Fact]
    public async Task SeveralRelaysOnOneDatabasePublishEachRowOnce()
    {
        var settings = new Dictionary<string, string?> { ["Outbox:BatchSize"] = "20", ["Outbox:PollInterval"] = "00:00:00.050" };
        await using var first = await RelayHost.StartAsync(Database, Broker.Url, settings);
        await using var second = await RelayHost.StartAsync(Database, Broker.Url, settings, consume: false);
        await using var third = await RelayHost.StartAsync(Database, Broker.Url, settings, consume: false);

        var ids = new List<Guid>();
        foreach (var writer in new[] { first, second, third, first, second, third })
        {
            ids.AddRange(await writer.CommitEventsAsync(100));
        }

        await Eventually.WaitAsync(() => first.Received.Deliveries.Count >= 600, "600 deliveries", TimeSpan.FromSeconds(60));
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "no pending rows");
        Assert.Equal(600, first.Received.Deliveries.Count);
        Assert.All(ids, id => Assert.Equal(1, first.Received.CountOf(id)));
        Assert.Equal(600L, await Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE attempts = 1"));
    }

    [Fact]
    public async Task ARelaySkipsRowsAnotherTransactionHoldsAndPublishesTheRest()
    {
        var held = new List<Guid>();
        await using (var db = Database.CreateDbContext())
        {
            held.AddRange(Enumerable.Range(0, 5).Select(_ => db.AddOutboxMessage(RelayHost.NewEvent()).Id));
            await db.SaveChangesAsync();
        }

        // Another relay (here: the test) holds the row locks of the first five rows.
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand("SELECT id FROM outbox_messages WHERE id = ANY($1) FOR UPDATE", connection, transaction))
        {
            lockRows.Parameters.Add(new NpgsqlParameter { Value = held.ToArray() });
            await lockRows.ExecuteNonQueryAsync();
        }

        await using var host = await RelayHost.StartAsync(Database, Broker.Url, new Dictionary<string, string?> { ["Outbox:PollInterval"] = "00:00:00.100" });
        var free = await host.CommitEventsAsync(5);

        await Eventually.WaitAsync(() => free.All(id => host.Received.CountOf(id) == 1), "the unlocked rows, without waiting for the lock");
        Assert.All(held, id => Assert.Equal(0, host.Received.CountOf(id)));
        await transaction.RollbackAsync();
        await Eventually.WaitAsync(() => held.All(id => host.Received.CountOf(id) == 1), "the released rows");
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "no pending rows");
    }

    [Fact]
    public async Task AMalformedRowIsMovedAsideAndDoesNotStopTheRelay()
    {
        await Database.ExecuteAsync("""
            INSERT INTO outbox_messages (id, message_type, body, created_at, attempts) VALUES
              ($1, 'System.Diagnostics.Process', '{}', now(), 0),
              ($2, 'SmsRemarketing.Contracts.SendSmsRequested', '{not json', now(), 0)
            """, Guid.NewGuid(), Guid.NewGuid());
        await using var host = await RelayHost.StartAsync(Database, Broker.Url);

        var good = await host.CommitEventsAsync(1);

        await Eventually.WaitAsync(() => host.Received.CountOf(good[0]) == 1, "the good event after the bad rows");
        await Eventually.WaitAsync(() => Database.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters"), moved => moved == 2, "both bad rows moved aside");
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters WHERE reason LIKE 'Unknown message type%'"));
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters WHERE reason LIKE 'Body is not valid JSON%' AND body = '{not json'"));
        // The relay marks a row in its own commit, just after the broker confirmed it: a consumer can be quicker.
        await Eventually.WaitAsync(PendingRowsAsync, pending => pending == 0, "the good row to be marked published");
    }

    [Fact]
    public async Task PublishedRowsAreDeletedAfterTheirRetention()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Outbox:PublishedRetention"] = "00:00:01",
            ["Outbox:HousekeepingInterval"] = "00:00:01",
        };
        await using var host = await RelayHost.StartAsync(Database, Broker.Url, settings);

        await host.CommitEventsAsync(10);

        await Eventually.WaitAsync(() => host.Received.Deliveries.Count == 10, "ten deliveries");
        await Eventually.WaitAsync(() => Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"), rows => rows == 0, "the published rows to be deleted");
    }

    [Fact]
    public async Task WithoutRetentionPublishedRowsAreDeletedAtOnce()
    {
        await using var host = await RelayHost.StartAsync(Database, Broker.Url, new Dictionary<string, string?> { ["Outbox:PublishedRetention"] = "00:00:00" });

        await host.CommitEventsAsync(10);

        await Eventually.WaitAsync(() => host.Received.Deliveries.Count == 10, "ten deliveries");
        await Eventually.WaitAsync(() => Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages"), rows => rows == 0, "no rows left");
    }
}
