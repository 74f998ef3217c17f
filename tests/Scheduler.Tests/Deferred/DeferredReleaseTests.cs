using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Triggers;
using Microsoft.Extensions.Options;
using SmsRemarketing.Domain.Messages.Lifecycle;
using SmsRemarketing.Domain.Triggers;
using SmsRemarketing.Scheduler.Deferred;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Deferred;

/// <summary>
/// Automated sends the delivery policy defers (quiet hours, frequency cap) and the Scheduler's releaser, on a real
/// database and broker with the test's clock.
/// </summary>
public sealed class DeferredReleaseTests : IAsyncLifetime
{
    // 20:00 UTC on a summer day: 13:00 in Los Angeles (PDT, inside 08:00–21:00), 22:00 in Berlin (CEST, outside).
    private static readonly DateTimeOffset SummerEvening = new(2026, 6, 15, 20, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BerlinOpensNextDay = new(2026, 6, 16, 6, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(SummerEvening);
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
    public async Task AtOneInstantALeadInLosAngelesIsSentToAndOneInBerlinIsDeferredToItsMorningThenReleased()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c => c.FrequencyCaps = []);
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead);
        var losAngeles = await LeadAsync(client, "+14155550123", timezone: "America/Los_Angeles");
        var berlin = await LeadAsync(client, "+4915123456789"); // no time zone of its own: +49 implies Europe/Berlin

        await FireNewLeadAsync(client, losAngeles);
        await FireNewLeadAsync(client, berlin);
        var nothingDue = await ReleaseOnceAsync();

        var sent = await MessageToAsync(losAngeles);
        var deferred = await MessageToAsync(berlin);
        Assert.Equal(MessageStatus.Queued, sent.Status);
        Assert.Equal(1L, await OutboxRowsAsync(sent.Id));
        Assert.Equal(MessageStatus.Scheduled, deferred.Status);
        Assert.Equal(BerlinOpensNextDay, deferred.SendAfter);
        Assert.Contains("Europe/Berlin", deferred.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0L, await OutboxRowsAsync(deferred.Id));
        Assert.Equal(0, nothingDue.Claimed);

        _clock.Now = BerlinOpensNextDay;

        var released = await Eventually.WaitAsync(() => MessageToAsync(berlin), m => m.Status == MessageStatus.Queued, "the Berlin message to be released");
        Assert.Equal(BerlinOpensNextDay, released.QueuedAt);
        Assert.Null(released.ErrorMessage);
        Assert.Equal(1L, await OutboxRowsAsync(released.Id));
        await Eventually.WaitAsync(() => _database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1 AND published_at IS NOT NULL",
            released.Id.ToString()), published => published == 1, "the released message's SendSmsRequested to be published");
    }

    [Fact]
    public async Task ASecondTriggerForTheSameLeadIsDeferredByTheFrequencyCapWithTheReason()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c => c.QuietHoursEnabled = false);
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Welcome");
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Here is a coupon");
        var lead = await LeadAsync(client, "+4915123456780");

        var firings = await FireNewLeadAsync(client, lead);

        Assert.Equal([TriggerFiring.Queued, TriggerFiring.Scheduled], firings.Select(f => f.Outcome).Order().ToArray());
        var deferred = await MessageAsync(firings.Single(f => f.Outcome == TriggerFiring.Scheduled).MessageId!.Value);
        Assert.Equal(SummerEvening.AddHours(24), deferred.SendAfter);
        Assert.Contains("frequency cap", deferred.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0L, await OutboxRowsAsync(deferred.Id));
    }

    [Fact]
    public async Task WithTheSkipActionACappedSendIsRecordedAsSkippedWithoutCreditOrEvent()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c =>
        {
            c.QuietHoursEnabled = false;
            c.FrequencyCapAction = FrequencyCapAction.Skip;
        });
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Welcome");
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Here is a coupon");
        var lead = await LeadAsync(client, "+4915123456781");

        var firings = await FireNewLeadAsync(client, lead);

        var skipped = firings.Single(f => f.Outcome != TriggerFiring.Queued);
        Assert.Equal("frequency_capped", skipped.Outcome);
        var message = await MessageAsync(skipped.MessageId!.Value);
        Assert.Equal(MessageStatus.Skipped, message.Status);
        Assert.Contains("frequency cap", message.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0L, await OutboxRowsAsync(message.Id));
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM credit_transactions WHERE message_id = $1", message.Id));
    }

    [Fact]
    public async Task AnAutomatedMessageOverTheMaxSegmentsIsRecordedOnTheFiringNotSent()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", configure: c => c.MaxSegments = 1);
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Hi {{first_name}}, " + new string('x', 200));
        var lead = await LeadAsync(client, "+4915123456782");

        var firing = Assert.Single(await FireNewLeadAsync(client, lead));

        Assert.Equal("too_many_segments", firing.Outcome);
        Assert.Contains("2 segments", firing.Detail, StringComparison.Ordinal);
        Assert.Null(firing.MessageId);
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE lead_id = $1", lead.Id));
    }

    [Fact]
    public async Task SeveralDeferredMessagesToOneLeadDueAtOnceAreReleasedWithinTheCap()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c =>
        {
            c.QuietHoursEnabled = false;
            c.FrequencyCaps = [new FrequencyCapRule(1, 24)];
        });
        var lead = await LeadAsync(client, "+4915123456783");
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await ScheduledAsync(lead, SummerEvening.AddMinutes(-10 + i))).Id);
        }

        await Eventually.WaitAsync(DueCountAsync, due => due == 0, "no deferred message left due");

        var messages = await MessagesAsync(ids);
        var released = Assert.Single(messages, m => m.Status == MessageStatus.Queued);
        Assert.Equal(ids[0], released.Id); // the one due first
        Assert.All(messages.Where(m => m.Id != released.Id), m =>
        {
            Assert.Equal(MessageStatus.Scheduled, m.Status);
            Assert.Equal(SummerEvening.AddHours(24), m.SendAfter);
            Assert.Contains("frequency cap", m.ErrorMessage, StringComparison.Ordinal);
        });

        _clock.Now = SummerEvening.AddHours(24);
        await Eventually.WaitAsync(DueCountAsync, due => due == 0, "no deferred message left due a day later");

        messages = await MessagesAsync(ids);
        Assert.Equal(2, messages.Count(m => m.Status == MessageStatus.Queued));
        Assert.Equal(SummerEvening.AddHours(48), Assert.Single(messages, m => m.Status == MessageStatus.Scheduled).SendAfter);
        foreach (var queued in messages.Where(m => m.Status == MessageStatus.Queued))
        {
            Assert.Equal(1L, await OutboxRowsAsync(queued.Id));
        }
    }

    [Fact]
    public async Task ALeadThatOptedOutWhileDeferredIsSuppressedWhenDue()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c => c.QuietHoursEnabled = false);
        var lead = await LeadAsync(client, "+4915123456784");
        var message = await ScheduledAsync(lead, SummerEvening.AddHours(1));
        await _database.OptOutLeadAsync(lead.Id, SummerEvening.AddMinutes(30));

        _clock.Now = SummerEvening.AddHours(1);

        var settled = await Eventually.WaitAsync(() => MessageAsync(message.Id), m => m.Status != MessageStatus.Scheduled, "the message to be settled");
        Assert.Equal(MessageStatus.Suppressed, settled.Status);
        Assert.Contains("opted out", settled.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0L, await OutboxRowsAsync(message.Id));
    }

    [Fact]
    public async Task ACountryTheOperatorRemovedWhileDeferredIsSkippedWhenDueWithTheRuleNamed()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c => c.QuietHoursEnabled = false);
        var lead = await LeadAsync(client, "+4915123456785");
        var message = await ScheduledAsync(lead, SummerEvening.AddHours(1));
        await _database.ExecuteAsync("UPDATE clients SET allowed_countries = '{}' WHERE id = $1", client.Id);

        _clock.Now = SummerEvening.AddHours(1);

        var settled = await Eventually.WaitAsync(() => MessageAsync(message.Id), m => m.Status != MessageStatus.Scheduled, "the message to be settled");
        Assert.Equal(MessageStatus.Skipped, settled.Status);
        Assert.Contains("destination.country_not_allowed", settled.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0L, await OutboxRowsAsync(message.Id));
    }

    [Fact]
    public async Task ADeferredMessagePastTheDailyCapIsSkippedWhenDue()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c =>
        {
            c.QuietHoursEnabled = false;
            c.FrequencyCaps = [];
            c.DailyMessageCap = 1;
        });
        var first = await ScheduledAsync(await LeadAsync(client, "+4915123456786"), SummerEvening.AddHours(1));
        var second = await ScheduledAsync(await LeadAsync(client, "+4915123456787"), SummerEvening.AddHours(1).AddSeconds(1));

        _clock.Now = SummerEvening.AddHours(1).AddSeconds(1);

        var skipped = await Eventually.WaitAsync(() => MessageAsync(second.Id), m => m.Status != MessageStatus.Scheduled, "the second message to be settled");
        Assert.Equal(MessageStatus.Skipped, skipped.Status);
        Assert.Contains("spend.daily_message_cap", skipped.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(MessageStatus.Queued, (await MessageAsync(first.Id)).Status);
    }

    [Fact]
    public async Task TwoSchedulersReleaseEachDueMessageOnceAndKeepTheCapPerLead()
    {
        await using var second = await SchedulerHost.StartAsync(_database, _broker, _clock,
            settings: new Dictionary<string, string> { ["Scheduler:ReleaseBatchSize"] = "3" });
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c =>
        {
            c.QuietHoursEnabled = false;
            c.FrequencyCaps = [new FrequencyCapRule(1, 24)];
        });
        var leads = new List<Lead>();
        for (var i = 0; i < 15; i++)
        {
            var lead = await LeadAsync(client, $"+491512345{i:D4}");
            leads.Add(lead);
            await ScheduledAsync(lead, SummerEvening.AddHours(1));
            await ScheduledAsync(lead, SummerEvening.AddHours(1));
        }

        _clock.Now = SummerEvening.AddHours(1);
        await Eventually.WaitAsync(DueCountAsync, due => due == 0, "no deferred message left due");

        Assert.Equal(15L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE client_id = $1 AND status = 'queued'", client.Id));
        Assert.Equal(15L, await Arrange.CountAsync(_database,
            "SELECT count(DISTINCT lead_id) FROM messages WHERE client_id = $1 AND status = 'queued'", client.Id));
        Assert.Equal(15L, await Arrange.CountAsync(_database, """
            SELECT count(*) FROM outbox_messages o JOIN messages m ON m.id::text = o.body::jsonb ->> 'messageId'
            WHERE o.message_type LIKE '%SendSmsRequested' AND m.client_id = $1
            """, client.Id));
    }

    private async Task<Lead> LeadAsync(Client client, string phone, string? timezone = null)
    {
        // The clients here text the US (home) and Germany: as the operator would, DE is allowed and priced for them.
        if (phone.StartsWith("+49", StringComparison.Ordinal))
        {
            await _database.ExecuteAsync("UPDATE clients SET allowed_countries = '{DE}' WHERE id = $1", client.Id);
            await _database.ExecuteAsync(
                "INSERT INTO destination_prices (country, credits_per_segment, updated_at) VALUES ('DE', 1, now()) ON CONFLICT DO NOTHING");
        }

        await using var db = _database.CreateDbContext();
        var lead = new Lead { ClientId = client.Id, Phone = phone, FirstName = "Ada", Timezone = timezone, CreatedAt = SummerEvening, UpdatedAt = SummerEvening };
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        return lead;
    }

    /// <summary>A deferred automated message, as the policy leaves it, due at <paramref name="sendAfter"/>.</summary>
    private async Task<Message> ScheduledAsync(Lead lead, DateTimeOffset sendAfter)
    {
        await using var db = _database.CreateDbContext();
        var message = new Message
        {
            ClientId = lead.ClientId, LeadId = lead.Id, ToPhone = lead.Phone, Body = "Hi", Segments = 1, Source = MessageSource.LeadAge,
            Status = MessageStatus.Scheduled, SendAfter = sendAfter, ErrorMessage = "Deferred: test", CreatedAt = SummerEvening.AddDays(-1),
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message;
    }

    private async Task<IReadOnlyList<TriggerFiring>> FireNewLeadAsync(Client client, Lead lead)
    {
        await using var db = _database.CreateDbContext();
        return await _scheduler.Services.GetRequiredService<NewLeadTriggers>().FireAsync(db, client.Id, lead.Id, CancellationToken.None);
    }

    private async Task<ReleaseResult> ReleaseOnceAsync()
    {
        await using var scope = _scheduler.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DeferredRelease>().ReleaseBatchAsync(
            scope.ServiceProvider.GetRequiredService<IOptions<DeferredReleaseOptions>>().Value.ReleaseBatchSize, CancellationToken.None);
    }

    private Task<long> DueCountAsync() =>
        _database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE status = 'scheduled' AND send_after <= $1", _clock.Now);

    private async Task<Message> MessageToAsync(Lead lead)
    {
        await using var db = _database.CreateDbContext();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.LeadId == lead.Id);
    }

    private async Task<Message> MessageAsync(Guid id)
    {
        await using var db = _database.CreateDbContext();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private async Task<List<Message>> MessagesAsync(List<Guid> ids)
    {
        await using var db = _database.CreateDbContext();
        return await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync();
    }

    private Task<long> OutboxRowsAsync(Guid messageId) => _database.ScalarAsync<long>(
        "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'messageId' = $1", messageId.ToString());
}
