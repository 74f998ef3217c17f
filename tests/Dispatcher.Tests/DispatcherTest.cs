using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Credits;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Testing;
using SmsRemarketing.TwilioEmulator;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.Dispatcher.Tests;

/// <summary>
/// Each test: its own database and vhost, its own Twilio emulator on a loopback port, and the real Dispatcher host
/// (consumers, outbox relay, reconciler) talking to the emulator over HTTP.
/// </summary>
public abstract class DispatcherTest : IAsyncLifetime
{
    private WebApplicationFactory<DispatcherOptions>? _factory;

    protected TestDatabase Database { get; private set; } = null!;
    protected TestBroker Broker { get; private set; } = null!;
    protected TwilioEmulatorHost Twilio { get; private set; } = null!;
    protected EmulatorAdminClient TwilioAdmin { get; private set; } = null!;
    protected IServiceProvider Services => _factory!.Services;

    /// <summary>Settings a test class changes (e.g. the reconciler's clock).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>The clock the Dispatcher applies the rules at (the sending window), when a test class sets it.</summary>
    protected virtual TimeProvider? Clock => null;

    /// <summary>
    /// When true, the Dispatcher reaches the database through <see cref="DatabaseProxy"/>, which a test cuts to take
    /// the database away from it (the test's own connections stay direct).
    /// </summary>
    protected virtual bool DatabaseBehindProxy => false;

    protected TcpProxy? DatabaseProxy { get; private set; }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Broker = await TestBroker.CreateAsync();
        Twilio = await TwilioEmulatorHost.StartAsync();
        TwilioAdmin = Twilio.CreateAdminClient();
        var connectionString = Database.ConnectionString;
        if (DatabaseBehindProxy)
        {
            var direct = new NpgsqlConnectionStringBuilder(connectionString);
            DatabaseProxy = new TcpProxy($"{direct.Host}:{direct.Port}");
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = DatabaseProxy.Port }.ConnectionString;
        }

        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = connectionString,
            ["RabbitMq:Url"] = Broker.Url,
            ["Twilio:AccountSid"] = Twilio.Options.AccountSid,
            ["Twilio:AuthToken"] = Twilio.Options.AuthToken,
            ["Twilio:BaseUrl"] = Twilio.BaseAddress.ToString(),
            ["Twilio:DefaultFrom"] = "+15005550006",
            ["Twilio:RequestTimeout"] = "00:00:05",
            ["Dispatcher:SenderMessagesPerSecond"] = "1000",
            ["Dispatcher:RetryBaseDelay"] = "00:00:00.010",
            ["Dispatcher:MaxRetryDelay"] = "00:00:00.200",
            ["Dispatcher:ReconcileDelay"] = "00:00:00.100",
            ["Outbox:PollInterval"] = "00:00:00.100",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        _factory = new WebApplicationFactory<DispatcherOptions>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }

            if (Clock is { } clock)
            {
                host.ConfigureTestServices(services => services.AddSingleton(clock));
            }
        });
        _ = _factory.Server; // start the host: consumers, relay, reconciler
        var bus = Services.GetRequiredService<IBusControl>();
        await Eventually.WaitAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, "the Dispatcher's bus");
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (DatabaseProxy is not null)
        {
            await DatabaseProxy.DisposeAsync();
        }

        TwilioAdmin.Dispose();
        await Twilio.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>
    /// A client with <paramref name="credits"/> and one lead. Quiet hours are off unless asked for: the claim applies
    /// them with the real clock, and most tests are about sending at any hour.
    /// </summary>
    // homeCountry: the one country the client may text at its own plan's price (a test texting abroad names it).
    protected async Task<(Client Client, Lead Lead)> ArrangeClientAsync(
        long credits, string phone = "+14155550100", bool quietHours = false, string homeCountry = "US")
    {
        await using var db = Database.CreateDbContext();
        var client = new Client
        {
            Name = "Acme", Email = "ops@acme.test", ApiKeyPrefix = $"sk_{Guid.NewGuid():N}"[..11], ApiKeyHash = new byte[32],
            QuietHoursEnabled = quietHours, HomeCountry = homeCountry,
        };
        var lead = new Lead { ClientId = client.Id, Phone = phone, FirstName = "Ada" };
        db.AddRange(client, lead);
        await db.SaveChangesAsync();
        if (credits > 0)
        {
            db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = credits, Kind = CreditTransactionKind.Purchase });
            await db.SaveChangesAsync();
        }

        return (client, lead);
    }

    protected async Task<Message> QueueMessageAsync(Lead lead, string body = "Hi Ada, your table is ready", int creditCost = 1)
    {
        await using var db = Database.CreateDbContext();
        var message = new Message
        {
            ClientId = lead.ClientId, LeadId = lead.Id, ToPhone = lead.Phone, Body = body, Segments = creditCost, CreditCost = creditCost,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message;
    }

    /// <summary>Publishes the event as the Api's outbox relay does: the outbox row's id is the MessageId.</summary>
    protected Task PublishAsync(Message message, Guid? eventId = null) =>
        Services.GetRequiredService<IBus>().Publish(
            new SendSmsRequested { MessageId = message.Id, ClientId = message.ClientId, RequestedAt = DateTimeOffset.UtcNow },
            context => context.MessageId = eventId ?? Guid.NewGuid());

    protected async Task<Message> WaitForStatusAsync(Guid messageId, params MessageStatus[] statuses) =>
        await Eventually.WaitAsync(async () =>
        {
            await using var db = Database.CreateDbContext();
            return await db.Messages.FindAsync(messageId);
        }, message => message is not null && statuses.Contains(message.Status), $"message {messageId} to reach {string.Join(" or ", statuses)}")
        ?? throw new InvalidOperationException("unreachable");

    protected Task<long> BalanceAsync(Guid clientId) =>
        Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", clientId);

    protected Task<long> LedgerSumAsync(Guid clientId) =>
        Database.ScalarAsync<long>("SELECT coalesce(sum(amount), 0)::bigint FROM credit_transactions WHERE client_id = $1", clientId);
}
