using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Domain.Triggers;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Triggers.LeadAge;

/// <summary>The sweep as the Scheduler runs it, against the real database (and the bus, for the command's path).</summary>
public sealed class LeadAgeSweepTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private SchedulerHost _scheduler = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _broker = await TestBroker.CreateAsync();
        _scheduler = await SchedulerHost.StartAsync(_database, _broker);
    }

    public async Task DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ASweepCommandQueuesOneMessagePerLeadCreatedExactlyNDaysBeforeInTheClientsTimeZone()
    {
        var client = await Arrange.ClientAsync(_database, "America/New_York");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, "Still looking, {{first_name}}?", days: 3);
        // 2026-03-07 in New York is [05:00Z on the 7th, 05:00Z on the 8th).
        var due = await Arrange.LeadAsync(_database, client, "+14155550201", Utc("2026-03-07T05:00:00"));
        var dueLate = await Arrange.LeadAsync(_database, client, "+14155550202", Utc("2026-03-08T04:59:59"));
        await Arrange.LeadAsync(_database, client, "+14155550203", Utc("2026-03-07T04:59:59"));
        await Arrange.LeadAsync(_database, client, "+14155550204", Utc("2026-03-08T05:00:00"));

        await _scheduler.Services.GetRequiredService<IBus>().Publish(new RunLeadAgeSweep { TriggerId = trigger.Id, ClientId = client.Id, LocalDate = Today });

        await _scheduler.WaitForReceivedAsync("run-lead-age-sweep", 1);
        Assert.Equal([due.Id, dueLate.Id], await QueuedLeadsAsync(trigger.Id));
        Assert.Equal("Still looking, Ada?", await _database.ScalarAsync<string>("SELECT body FROM messages WHERE lead_id = $1", due.Id));
        Assert.Equal("lead_age", await _database.ScalarAsync<string>("SELECT source FROM messages WHERE lead_id = $1", due.Id));
        Assert.Equal(2L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested'"));
        Assert.Equal(2L, await Arrange.CountAsync(_database,
            "SELECT queued::bigint FROM sweep_runs WHERE trigger_id = $1 AND local_date = $2 AND completed_at IS NOT NULL", trigger.Id, Today));
    }

    [Fact]
    public async Task TwoSweepsForTheSameDayQueueOnceEvenWhenTheyRunAtTheSameTime()
    {
        var client = await Arrange.ClientAsync(_database, "UTC");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 1);
        for (var i = 0; i < 30; i++)
        {
            await Arrange.LeadAsync(_database, client, $"+141555503{i:00}", Utc("2026-03-09T12:00:00").AddSeconds(i % 3));
        }

        // Small pages, so the two sweeps interleave page by page like two Scheduler replicas would.
        var sweep = new LeadAgeSweep(_scheduler.Services.GetRequiredService<TriggerFirer>(), TimeProvider.System) { PageSize = 4 };
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var db = _database.CreateDbContext();
            return await sweep.RunAsync(db, trigger.Id, Today, CancellationToken.None);
        }));
        await using (var db = _database.CreateDbContext())
        {
            var third = await sweep.RunAsync(db, trigger.Id, Today, CancellationToken.None);
            Assert.Equal(0, third.Queued);
        }

        Assert.Equal(30, results.Sum(r => r.Queued));
        Assert.Equal(30, (await QueuedLeadsAsync(trigger.Id)).Count);
        Assert.Equal(30L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested'"));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM sweep_runs WHERE trigger_id = $1", trigger.Id));
    }

    [Fact]
    public async Task ALeadFiredByAnotherProcessWhileAPageIsWrittenIsLeftToItAndThePageIsWrittenWithoutIt()
    {
        var client = await Arrange.ClientAsync(_database, "UTC");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 1);
        var leads = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            leads.Add((await Arrange.LeadAsync(_database, client, $"+141555507{i:00}", Utc("2026-03-09T12:00:00").AddSeconds(i))).Id);
        }

        // Another process fires the middle lead and has not committed yet: the sweep's page query cannot see it, and
        // the sweep's COPY into trigger_firings waits on its key until it commits, then fails as a duplicate.
        await using var other = await _database.DataSource.OpenConnectionAsync();
        await using var otherTransaction = await other.BeginTransactionAsync();
        await using (var fire = new Npgsql.NpgsqlCommand(
            "INSERT INTO trigger_firings (trigger_id, lead_id, client_id, outcome, fired_at) VALUES ($1, $2, $3, 'queued', now())", other, otherTransaction))
        {
            fire.Parameters.Add(new Npgsql.NpgsqlParameter { Value = trigger.Id });
            fire.Parameters.Add(new Npgsql.NpgsqlParameter { Value = leads[2] });
            fire.Parameters.Add(new Npgsql.NpgsqlParameter { Value = client.Id });
            await fire.ExecuteNonQueryAsync();
        }

        var sweeping = Task.Run(async () =>
        {
            await using var db = _database.CreateDbContext();
            return await _scheduler.Services.GetRequiredService<LeadAgeSweep>().RunAsync(db, trigger.Id, Today, CancellationToken.None);
        });
        await Eventually.WaitAsync(
            () => _database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"),
            waiting => waiting >= 1 || sweeping.IsCompleted, "the sweep's COPY to wait for the other firing");
        Assert.False(sweeping.IsCompleted);
        await otherTransaction.CommitAsync();
        var result = await sweeping;

        Assert.Equal(4, result.Queued);
        Assert.Equal([leads[0], leads[1], leads[3], leads[4]], await QueuedLeadsAsync(trigger.Id));
        Assert.Equal(5L, await Arrange.CountAsync(_database, "SELECT count(*) FROM trigger_firings WHERE trigger_id = $1", trigger.Id));
        Assert.Equal(4L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested'"));
    }

    [Fact]
    public async Task ASweepsCommitsWakeTheRelayWithoutWaitingForThePollInterval()
    {
        await _scheduler.DisposeAsync();
        _scheduler = await SchedulerHost.StartAsync(_database, _broker, settings: new Dictionary<string, string> { ["Outbox:PollInterval"] = "00:10:00" });
        var client = await Arrange.ClientAsync(_database, "UTC");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 1);
        for (var i = 0; i < 7; i++)
        {
            await Arrange.LeadAsync(_database, client, $"+141555508{i:00}", Utc("2026-03-09T12:00:00").AddSeconds(i));
        }

        // The relay's LISTEN connection announces itself with a catch-up round; after that only a wake-up makes it publish.
        await Eventually.WaitAsync(
            () => _database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN outbox_messages'"),
            listeners => listeners == 1, "the relay to listen");

        var sweep = new LeadAgeSweep(_scheduler.Services.GetRequiredService<TriggerFirer>(), TimeProvider.System) { PageSize = 3 };
        await using (var db = _database.CreateDbContext())
        {
            Assert.Equal(7, (await sweep.RunAsync(db, trigger.Id, Today, CancellationToken.None)).Queued);
        }

        await Eventually.WaitAsync(
            () => Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND published_at IS NOT NULL"),
            published => published == 7, "the 7 events, long before the 10-minute poll", TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task ASweepAcrossATimeZoneBoundaryPicksEachClientsOwnLocalDate()
    {
        var auckland = await Arrange.ClientAsync(_database, "Pacific/Auckland");
        var losAngeles = await Arrange.ClientAsync(_database, "America/Los_Angeles");
        var aucklandTrigger = await Arrange.TriggerAsync(_database, auckland, TriggerType.LeadAge, days: 3);
        var losAngelesTrigger = await Arrange.TriggerAsync(_database, losAngeles, TriggerType.LeadAge, days: 3);
        // Due date 2026-03-07: Auckland (UTC+13) is [06T11:00Z, 07T11:00Z); Los Angeles (UTC-8) is [07T08:00Z, 08T08:00Z).
        string[] instants = ["2026-03-06T10:59:59", "2026-03-06T11:00:00", "2026-03-07T07:59:59", "2026-03-07T10:59:59", "2026-03-07T11:00:00", "2026-03-08T07:59:59", "2026-03-08T08:00:00"];
        var aucklandLeads = new List<Guid>();
        var losAngelesLeads = new List<Guid>();
        for (var i = 0; i < instants.Length; i++)
        {
            aucklandLeads.Add((await Arrange.LeadAsync(_database, auckland, $"+1415555040{i}", Utc(instants[i]))).Id);
            losAngelesLeads.Add((await Arrange.LeadAsync(_database, losAngeles, $"+1415555040{i}", Utc(instants[i]))).Id);
        }

        var sweep = _scheduler.Services.GetRequiredService<LeadAgeSweep>();
        await using (var db = _database.CreateDbContext())
        {
            await sweep.RunAsync(db, aucklandTrigger.Id, Today, CancellationToken.None);
            await sweep.RunAsync(db, losAngelesTrigger.Id, Today, CancellationToken.None);
        }

        Assert.Equal([aucklandLeads[1], aucklandLeads[2], aucklandLeads[3]], await QueuedLeadsAsync(aucklandTrigger.Id));
        Assert.Equal([losAngelesLeads[3], losAngelesLeads[4], losAngelesLeads[5]], await QueuedLeadsAsync(losAngelesTrigger.Id));
    }

    [Fact]
    public async Task OptedOutLeadsAndInactiveClientsAreSkippedWithARecordedReason()
    {
        var client = await Arrange.ClientAsync(_database, "UTC");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 2);
        var optedOut = await Arrange.LeadAsync(_database, client, "+14155550501", Utc("2026-03-08T10:00:00"), optedOut: true);
        var inactiveClient = await Arrange.ClientAsync(_database, "UTC", active: false);
        var inactiveClientTrigger = await Arrange.TriggerAsync(_database, inactiveClient, TriggerType.LeadAge, days: 2);
        var inactiveClientLead = await Arrange.LeadAsync(_database, inactiveClient, "+14155550502", Utc("2026-03-08T10:00:00"));
        var broke = await Arrange.ClientAsync(_database, "UTC", credits: 0);
        var brokeTrigger = await Arrange.TriggerAsync(_database, broke, TriggerType.LeadAge, days: 2);
        var brokeLead = await Arrange.LeadAsync(_database, broke, "+14155550503", Utc("2026-03-08T10:00:00"));

        var sweep = _scheduler.Services.GetRequiredService<LeadAgeSweep>();
        await using (var db = _database.CreateDbContext())
        {
            await sweep.RunAsync(db, trigger.Id, Today, CancellationToken.None);
            await sweep.RunAsync(db, inactiveClientTrigger.Id, Today, CancellationToken.None);
            await sweep.RunAsync(db, brokeTrigger.Id, Today, CancellationToken.None);
        }

        Assert.Equal("opted_out", await OutcomeAsync(trigger.Id, optedOut.Id));
        Assert.Equal("client_inactive", await OutcomeAsync(inactiveClientTrigger.Id, inactiveClientLead.Id));
        Assert.Equal("no_credit", await OutcomeAsync(brokeTrigger.Id, brokeLead.Id));
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested'"));
    }

    [Fact]
    public async Task AnInactiveTriggersSweepIsRecordedAsSkippedAndFiresNoLead()
    {
        var client = await Arrange.ClientAsync(_database, "UTC");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 2, active: false);
        await Arrange.LeadAsync(_database, client, "+14155550601", Utc("2026-03-08T10:00:00"));

        await using var db = _database.CreateDbContext();
        var result = await _scheduler.Services.GetRequiredService<LeadAgeSweep>().RunAsync(db, trigger.Id, Today, CancellationToken.None);

        Assert.Equal(SweepStatus.TriggerInactive, result.Status);
        Assert.Equal("trigger_inactive", await _database.ScalarAsync<string>("SELECT outcome FROM sweep_runs WHERE trigger_id = $1", trigger.Id));
        Assert.Equal(0L, await Arrange.CountAsync(_database, "SELECT count(*) FROM trigger_firings WHERE trigger_id = $1", trigger.Id));
    }

    private static DateTimeOffset Utc(string instant) =>
        DateTimeOffset.Parse(instant + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<List<Guid>> QueuedLeadsAsync(Guid triggerId)
    {
        var leads = new List<Guid>();
        await using var command = _database.DataSource.CreateCommand(
            "SELECT m.lead_id FROM messages m JOIN leads l ON l.id = m.lead_id WHERE m.trigger_id = $1 AND m.status = 'queued' ORDER BY l.created_at, l.id");
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = triggerId });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            leads.Add(reader.GetGuid(0));
        }

        return leads;
    }

    private Task<string?> OutcomeAsync(Guid triggerId, Guid leadId) =>
        _database.ScalarAsync<string>("SELECT outcome FROM trigger_firings WHERE trigger_id = $1 AND lead_id = $2", triggerId, leadId);
}
