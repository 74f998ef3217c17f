using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Redrive;

/// <summary>The Scheduler publishes SendSmsRequested again for a message left queued past the bound.</summary>
public sealed class QueuedMessageRedriveTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private SchedulerHost _scheduler = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _broker = await TestBroker.CreateAsync();
        _scheduler = await SchedulerHost.StartAsync(_database, _broker, settings: new Dictionary<string, string>
        {
            ["Scheduler:RedriveAfter"] = "00:00:04",
            ["Scheduler:RedriveInterval"] = "00:00:00.100",
        });
    }

    public async Task DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task AMessageQueuedPastTheBoundGetsItsEventAgainAndNotAgainUntilTheBoundPassesOnceMore()
    {
        var client = await Arrange.ClientAsync(_database);
        var lead = await Arrange.LeadAsync(_database, client, "+14155550100");
        var stranded = await MessageAsync(client, lead, MessageStatus.Queued, queuedAgo: TimeSpan.FromHours(1));
        var sending = await MessageAsync(client, lead, MessageStatus.Sending, queuedAgo: TimeSpan.FromHours(1));
        var fresh = await MessageAsync(client, lead, MessageStatus.Queued, queuedAgo: TimeSpan.Zero);

        await Eventually.WaitAsync(() => EventsForAsync(stranded), events => events == 1, "the stranded message's event");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1L, await EventsForAsync(stranded));
        await Eventually.WaitAsync(() => EventsForAsync(stranded), events => events == 2, "a second event once the bound passed again");

        Assert.Equal(0L, await EventsForAsync(sending));
        Assert.Equal(MessageStatus.Queued, (await StatusAsync(stranded)));
        Assert.True(await EventsForAsync(fresh) <= 1, "a message queued just now is re-driven only after the bound");
    }

    private async Task<Guid> MessageAsync(Client client, Lead lead, MessageStatus status, TimeSpan queuedAgo)
    {
        await using var db = _database.CreateDbContext();
        var at = DateTimeOffset.UtcNow - queuedAgo;
        var message = new Message
        {
            ClientId = client.Id, LeadId = lead.Id, ToPhone = lead.Phone, Body = "Hi", Status = status, QueuedAt = at, CreatedAt = at, UpdatedAt = at,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private Task<long> EventsForAsync(Guid messageId) => Arrange.CountAsync(_database,
        "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1", messageId.ToString());

    private async Task<MessageStatus> StatusAsync(Guid messageId)
    {
        await using var db = _database.CreateDbContext();
        return (await db.Messages.FindAsync(messageId))!.Status;
    }
}
