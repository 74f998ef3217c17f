using Microsoft.Extensions.Logging.Abstractions;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Domain.Consent;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Triggers;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Triggers.NewLead;

/// <summary>The frequency cap across triggers staged in one unit of work, before any of their messages is saved.</summary>
public sealed class NewLeadFrequencyCapTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task TwoNewLeadTriggersForOneLeadQueueOneMessageAndDeferTheOtherUnderACapOfOnePerDay()
    {
        // The default cap: 1 per 24 h, deferred. Quiet hours off, so the time of day the test runs at does not matter.
        var client = await Arrange.ClientAsync(_database, "UTC", deliveryPolicy: true, configure: c => c.QuietHoursEnabled = false);
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "First");
        await Arrange.TriggerAsync(_database, client, TriggerType.NewLead, "Second");
        var lead = await Arrange.LeadAsync(_database, client, "+14155550901");
        var time = TimeProvider.System;
        var outgoing = new OutgoingMessages(time);
        var triggers = new NewLeadTriggers(new TriggerFirer(outgoing, new OutboxRelayWakeup(new OutboxSignal(), _database.DataSource), time),
            new DoubleOptIn(outgoing, time, NullLogger<DoubleOptIn>.Instance));

        await using var db = _database.CreateDbContext();
        var firings = await triggers.FireAsync(db, client.Id, lead.Id, CancellationToken.None);

        Assert.Equal([TriggerFiring.Queued, TriggerFiring.Scheduled], firings.Select(f => f.Outcome));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE lead_id = $1 AND status = 'queued'", lead.Id));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE lead_id = $1 AND status = 'scheduled'", lead.Id));
    }
}
