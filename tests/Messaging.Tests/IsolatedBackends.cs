using SmsRemarketing.Testing;

namespace SmsRemarketing.Messaging.Tests;

/// <summary>Each test gets its own database and vhost (xunit makes a new instance per test).</summary>
public abstract class IsolatedBackends : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;
    protected TestBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Broker = await TestBroker.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected Task<long> PendingRowsAsync() =>
        Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL");
}
