using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Messages.Lifecycle;
using SmsRemarketing.Scheduler.Deferred;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Deferred;

/// <summary>
/// Sends for later (<c>send_at</c>): queued by the one queueing rule with the test's clock, released by the Scheduler's
/// releaser when the clock reaches them, and canceled before then.
/// </summary>
public sealed class ScheduledSendReleaseTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Noon);
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private SchedulerHost _scheduler = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _broker = await TestBroker.CreateAsync();
        _scheduler = await SchedulerHost.StartAsync(_database, _broker, _clock);
    }

    public async Task DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ASendForTwoHoursAheadWaitsUnpublishedAndIsQueuedWhenTheClockReachesIt()
    {
        var client = await Arrange.ClientAsync(_database, "UTC");
        var lead = await Arrange.LeadAsync(_database, client, "+14155550731");

        var id = await SendLaterAsync(client, lead, Noon.AddHours(2));
        var nothingDue = await ReleaseOnceAsync();

        var waiting = await MessageAsync(id);
        Assert.Equal(MessageStatus.Scheduled, waiting.Status);
        Assert.Equal(Noon.AddHours(2), waiting.SendAfter);
        Assert.Null(waiting.QueuedAt);
        Assert.Equal(0, nothingDue.Claimed);
        Assert.Equal(0L, await OutboxRowsAsync(id));

        _clock.Now = Noon.AddHours(2);

        var released = await Eventually.WaitAsync(() => MessageAsync(id), m => m.Status == MessageStatus.Queued, "the message to be released at its send_at");
        Assert.Equal(Noon.AddHours(2), released.QueuedAt);
        await Eventually.WaitAsync(() => _database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1 AND published_at IS NOT NULL",
            id.ToString()), published => published == 1, "the released message's SendSmsRequested to be published");
    }

    [Fact]
    public async Task ACanceledSendIsNeverReleased()
    {
        var client = await Arrange.ClientAsync(_database, "UTC");
        var lead = await Arrange.LeadAsync(_database, client, "+14155550732");
        var id = await SendLaterAsync(client, lead, Noon.AddHours(1));

        bool canceled;
        await using (var db = _database.CreateDbContext())
        {
            canceled = await ScheduledCancellation.CancelScheduledAsync(db, client.Id, id, _clock.GetUtcNow(), CancellationToken.None);
        }

        _clock.Now = Noon.AddHours(2);
        var release = await ReleaseOnceAsync();

        Assert.True(canceled);
        Assert.Equal(0, release.Claimed);
        var message = await MessageAsync(id);
        Assert.Equal(MessageStatus.Canceled, message.Status);
        Assert.Equal(ScheduledCancellation.ByClient, message.ErrorMessage);
        Assert.Equal(0L, await OutboxRowsAsync(id));
    }

    [Fact]
    public async Task CancelingInBulkCancelsOnlyTheScheduledMessagesOfTheQueryAndCountsThem()
    {
        var client = await Arrange.ClientAsync(_database, "UTC");
        var other = await Arrange.ClientAsync(_database, "UTC");
        var lead = await Arrange.LeadAsync(_database, client, "+14155550733");
        var first = await SendLaterAsync(client, lead, Noon.AddHours(1));
        var second = await SendLaterAsync(client, lead, Noon.AddHours(3));
        var elsewhere = await SendLaterAsync(other, await Arrange.LeadAsync(_database, other, "+14155550734"), Noon.AddHours(1));
        _clock.Now = Noon.AddHours(1);
        await Eventually.WaitAsync(() => MessageAsync(first), m => m.Status == MessageStatus.Queued, "the first message to be released");

        int count;
        await using (var db = _database.CreateDbContext())
        {
            count = await ScheduledCancellation.CancelScheduledWhereAsync(
                db.Messages.Where(m => m.ClientId == client.Id), "Canceled with its campaign.", _clock.GetUtcNow(), CancellationToken.None);
        }

        Assert.Equal(1, count);
        Assert.Equal(MessageStatus.Queued, (await MessageAsync(first)).Status);
        var canceled = await MessageAsync(second);
        Assert.Equal(MessageStatus.Canceled, canceled.Status);
        Assert.Equal("Canceled with its campaign.", canceled.ErrorMessage);
        Assert.Equal(MessageStatus.Queued, (await Eventually.WaitAsync(
            () => MessageAsync(elsewhere), m => m.Status != MessageStatus.Scheduled, "the other client's message to be released")).Status);
    }

    /// <summary>A manual send for <paramref name="sendAt"/>, queued as <c>POST /messages/send</c> queues it.</summary>
    private async Task<Guid> SendLaterAsync(Client client, Lead lead, DateTimeOffset sendAt)
    {
        await using var db = _database.CreateDbContext();
        var queued = await _scheduler.Services.GetRequiredService<OutgoingMessages>().EnqueueAsync(db,
            new QueueMessage { Client = client, Lead = lead, Body = "See you at 2 pm", Source = MessageSource.Manual, SendAt = sendAt },
            CancellationToken.None);
        Assert.True(queued.IsScheduled, queued.Detail);
        await db.SaveChangesAsync();
        return queued.Message!.Id;
    }

    private async Task<ReleaseResult> ReleaseOnceAsync()
    {
        await using var scope = _scheduler.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeferredRelease>().ReleaseBatchAsync(
            scope.ServiceProvider.GetRequiredService<IOptions<DeferredReleaseOptions>>().Value.ReleaseBatchSize, CancellationToken.None);
    }

    private async Task<Message> MessageAsync(Guid id)
    {
        await using var db = _database.CreateDbContext();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private Task<long> OutboxRowsAsync(Guid messageId) => _database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1", messageId.ToString());
}
