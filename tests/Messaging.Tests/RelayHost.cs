using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Messaging.Tests;

/// <summary>
/// A real host as the services build it (database, MassTransit on RabbitMQ, outbox relay), with a recording
/// consumer, against a test's own database and vhost.
/// </summary>
public sealed class RelayHost : IAsyncDisposable
{
    private readonly IHost _host;

    private RelayHost(IHost host) => _host = host;

    public Received Received => _host.Services.GetRequiredService<Received>();

    public static async Task<RelayHost> StartAsync(
        TestDatabase database, string rabbitUrl, IDictionary<string, string?>? settings = null, bool consume = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Database"] = database.ConnectionString,
            ["RabbitMq:Url"] = rabbitUrl,
            ["Outbox:PublishTimeout"] = "00:00:03",
            ["Outbox:MaxRetryDelay"] = "00:00:00.500",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddSmsDatabase();
        builder.AddMessaging(bus =>
        {
            if (consume)
            {
                bus.AddConsumer<RecordingConsumer>();
            }
        });
        builder.Services.AddSingleton<Received>();
        var host = builder.Build();
        await host.StartAsync();
        var relayHost = new RelayHost(host);
        // MassTransit starts in the background: until the consumer's queue is bound, a publish reaches no queue.
        await relayHost.WaitUntilBusIsReadyAsync();
        return relayHost;
    }

    /// <summary>Writes events through this host's own DbContext, as the Api does (the commit wakes the relay).</summary>
    public async Task<List<Guid>> CommitEventsAsync(int count, Action<SmsDbContext>? alsoWrite = null)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var ids = Enumerable.Range(0, count).Select(_ => db.AddOutboxMessage(NewEvent()).Id).ToList();
        alsoWrite?.Invoke(db);
        await db.SaveChangesAsync();
        return ids;
    }

    public T GetRequiredService<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public static SendSmsRequested NewEvent() => new()
    {
        MessageId = Guid.NewGuid(),
        ClientId = Guid.NewGuid(),
        RequestedAt = DateTimeOffset.UtcNow,
    };

    public async Task WaitUntilBusIsReadyAsync()
    {
        var bus = _host.Services.GetRequiredService<IBusControl>();
        await Eventually.WaitAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, "the bus to be healthy");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
