using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Scheduler.Triggers.NewLead;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Triggers.NewLead;

/// <summary>LeadCreated from another system: raw AMQP, MassTransit's JSON envelope, no MassTransit on the sender's side.</summary>
public sealed class ExternalLeadCreatedTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private SchedulerHost _scheduler = null!;
    private RawAmqp _amqp = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _broker = await TestBroker.CreateAsync();
        _scheduler = await SchedulerHost.StartAsync(_database, _broker);
        _amqp = await RawAmqp.ConnectAsync(_broker.Url);
    }

    public async Task DisposeAsync()
    {
        await _amqp.DisposeAsync();
        await _scheduler.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task AnExternalLeadCreatedCreatesTheLeadAndFiresTheNewLeadTrigger()
    {
        var client = await Arrange.ClientAsync(_database);
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Welcome {{first_name}}, code {{promo}}");

        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(),
            ["phone"] = "+1 (415) 555-0101",
            ["firstName"] = "Grace",
            ["lastName"] = "Hopper",
            ["email"] = "grace@example.test",
            ["customFields"] = new JsonObject { ["promo"] = "SPRING" },
            ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));

        var body = await Eventually.WaitAsync(
            () => _database.ScalarAsync<string>("SELECT body FROM messages WHERE trigger_id = $1", trigger.Id), b => b is not null, "the queued message");
        Assert.Equal("Welcome Grace, code SPRING", body);
        Assert.Equal("+14155550101", await _database.ScalarAsync<string>("SELECT phone FROM leads WHERE client_id = $1", client.Id));
        Assert.Equal("new_lead", await _database.ScalarAsync<string>("SELECT source FROM messages WHERE trigger_id = $1", trigger.Id));
        Assert.Equal(1L, await Arrange.CountAsync(_database,
            "SELECT count(*) FROM outbox_messages o JOIN messages m ON o.body::jsonb ->> 'messageId' = m.id::text WHERE o.message_type LIKE '%SendSmsRequested' AND m.trigger_id = $1",
            trigger.Id));
        Assert.Equal("queued", await _database.ScalarAsync<string>("SELECT outcome FROM trigger_firings WHERE trigger_id = $1", trigger.Id));
    }

    [Fact]
    public async Task ALeadCreatedWrittenToTheOutboxAsTheApiDoesFiresEveryNewLeadTriggerOfTheClientOnce()
    {
        var client = await Arrange.ClientAsync(_database);
        var first = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "One for {{first_name}}");
        var second = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Two for {{first_name}}");
        var lead = await Arrange.LeadAsync(_database, client, "+14155550107", firstName: "Ada");

        await using (var scope = _scheduler.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
            var evt = new LeadCreated { ClientId = client.Id, LeadId = lead.Id, Phone = lead.Phone, FirstName = "Ada", OccurredAt = DateTimeOffset.UtcNow };
            db.AddOutboxMessage(evt);
            db.AddOutboxMessage(evt);
            await db.SaveChangesAsync();
        }

        await _scheduler.WaitForReceivedAsync(LeadCreatedConsumerDefinition.QueueName, 2);
        Assert.Equal("One for Ada", await _database.ScalarAsync<string>("SELECT body FROM messages WHERE trigger_id = $1", first.Id));
        Assert.Equal("Two for Ada", await _database.ScalarAsync<string>("SELECT body FROM messages WHERE trigger_id = $1", second.Id));
        Assert.Equal(2L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE lead_id = $1", lead.Id));
    }

    [Fact]
    public async Task ARedeliveredOrRepublishedLeadCreatedQueuesOnce()
    {
        var client = await Arrange.ClientAsync(_database);
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead);
        var messageId = Guid.NewGuid();
        var envelope = RawAmqp.Envelope(messageId, new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+14155550102", ["occurredAt"] = "2026-03-01T12:00:00Z",
        });

        await _amqp.PublishAsync(envelope);
        await _amqp.PublishAsync(envelope);
        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+1 415 555 0102", ["occurredAt"] = "2026-03-01T12:00:01Z",
        }));
        // A marker published last on the same queue: once its lead has fired, the three before it were consumed.
        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+14155550199", ["occurredAt"] = "2026-03-01T12:00:02Z",
        }));

        await _scheduler.WaitForReceivedAsync(LeadCreatedConsumerDefinition.QueueName, 4);
        Assert.Equal(2L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE trigger_id = $1", trigger.Id));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM leads WHERE client_id = $1 AND phone = '+14155550102'", client.Id));
        Assert.Equal(1L, await Arrange.CountAsync(_database,
            "SELECT count(*) FROM messages m JOIN leads l ON l.id = m.lead_id WHERE l.phone = '+14155550102' AND m.client_id = $1", client.Id));
    }

    [Fact]
    public async Task InvalidExternalMessagesGoToTheErrorQueueWithTheReasonAndTheConsumerKeepsGoing()
    {
        var client = await Arrange.ClientAsync(_database);
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead);
        var unknownClient = Guid.NewGuid();

        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = unknownClient.ToString(), ["phone"] = "+14155550103", ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));
        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "12345", ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));
        await _amqp.PublishAsync("{ this is not json");
        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+14155550104", ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));

        await _scheduler.WaitForReceivedAsync(LeadCreatedConsumerDefinition.QueueName, 4);
        var faulted = await _amqp.DrainAsync($"{LeadCreatedConsumerDefinition.QueueName}_error");

        Assert.Equal(3, faulted.Count);
        Assert.Contains(faulted, f => f.FaultMessage?.Contains($"Unknown client '{unknownClient}'", StringComparison.Ordinal) == true);
        Assert.Contains(faulted, f => f.FaultMessage?.Contains("Invalid phone", StringComparison.Ordinal) == true);
        Assert.Contains(faulted, f => f.Body == "{ this is not json");
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE trigger_id = $1", trigger.Id));
    }

    [Fact]
    public async Task AnExternalLeadThatPostLeadsWouldRefuseGoesToTheErrorQueueNamingTheField()
    {
        var client = await Arrange.ClientAsync(_database);
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead);

        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+14155550108", ["email"] = "not an email", ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));
        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+14155550109", ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));

        await _scheduler.WaitForReceivedAsync(LeadCreatedConsumerDefinition.QueueName, 2);
        var faulted = await _amqp.DrainAsync($"{LeadCreatedConsumerDefinition.QueueName}_error");

        Assert.Contains(faulted, f => f.FaultMessage?.Contains("Invalid email", StringComparison.Ordinal) == true);
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM leads WHERE client_id = $1 AND phone = '+14155550108'", client.Id));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM leads WHERE client_id = $1 AND phone = '+14155550109'", client.Id));
    }

    [Fact]
    public async Task AnExternalLeadWithAPremiumRateNumberGoesToTheErrorQueueNamingTheRuleAndCreatesNothing()
    {
        var client = await Arrange.ClientAsync(_database);
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead);

        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+19002345678", ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));

        await _scheduler.WaitForReceivedAsync(LeadCreatedConsumerDefinition.QueueName, 1);
        var faulted = await _amqp.DrainAsync($"{LeadCreatedConsumerDefinition.QueueName}_error");

        var fault = Assert.Single(faulted, f => f.FaultMessage?.Contains("destination.number_type_denied", StringComparison.Ordinal) == true);
        // The fault header is an operators' channel: the number is masked there.
        Assert.DoesNotContain("9002345678", fault.FaultMessage, StringComparison.Ordinal);
        Assert.Contains("+1900•••5678", fault.FaultMessage, StringComparison.Ordinal);
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM leads WHERE client_id = $1", client.Id));
    }

    [Fact]
    public async Task OptedOutLeadsAndInactiveTriggersAreSkippedWithARecordedReason()
    {
        var client = await Arrange.ClientAsync(_database);
        var active = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead);
        var inactive = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, active: false);
        var optedOut = await Arrange.LeadAsync(_database, client, "+14155550105", optedOut: true);

        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["leadId"] = optedOut.Id.ToString(), ["phone"] = optedOut.Phone, ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));

        await Eventually.WaitAsync(
            () => Arrange.CountAsync(_database, "SELECT count(*) FROM trigger_firings WHERE lead_id = $1", optedOut.Id), n => n == 2, "two firings");
        Assert.Equal("opted_out", await _database.ScalarAsync<string>("SELECT outcome FROM trigger_firings WHERE trigger_id = $1", active.Id));
        Assert.Equal("trigger_inactive", await _database.ScalarAsync<string>("SELECT outcome FROM trigger_firings WHERE trigger_id = $1", inactive.Id));
        // Nothing to send: at most a 'suppressed' record of the message, and no SendSmsRequested.
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE client_id = $1 AND status <> 'suppressed'", client.Id));
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested'"));
    }

    [Fact]
    public async Task AnInactiveClientsLeadIsSkippedWithARecordedReason()
    {
        var client = await Arrange.ClientAsync(_database, active: false);
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.NewLead);

        await _amqp.PublishAsync(RawAmqp.Envelope(Guid.NewGuid(), new JsonObject
        {
            ["clientId"] = client.Id.ToString(), ["phone"] = "+14155550106", ["occurredAt"] = "2026-03-01T12:00:00Z",
        }));

        var outcome = await Eventually.WaitAsync(
            () => _database.ScalarAsync<string>("SELECT outcome FROM trigger_firings WHERE trigger_id = $1", trigger.Id), o => o is not null, "the firing");
        Assert.Equal("client_inactive", outcome);
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE client_id = $1", client.Id));
    }
}
