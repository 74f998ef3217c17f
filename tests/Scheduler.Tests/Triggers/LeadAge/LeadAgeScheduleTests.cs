using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Scheduler.Triggers.LeadAge;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Triggers.LeadAge;

/// <summary>Quartz's tick and the sweep time in each client's zone, on a clock the test sets.</summary>
public sealed class LeadAgeScheduleTests : IAsyncLifetime
{
    private const string NineAm = "0 0 9 * * ?";

    private TestDatabase _database = null!;
    private TestBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _broker = await TestBroker.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ASchedulerStartedAfterNineAmCatchesUpOnTodaysSweepOnce()
    {
        var client = await Arrange.ClientAsync(_database, "America/Los_Angeles");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 3);
        await Arrange.LeadAsync(_database, client, "+14155550701", Instant("2026-03-07T12:00:00-08:00"));
        await Arrange.LeadAsync(_database, client, "+14155550702", Instant("2026-03-07T23:30:00-08:00"));
        await Arrange.LeadAsync(_database, client, "+14155550703", Instant("2026-03-08T12:00:00-07:00"));
        // 10:30 in Los Angeles (PDT) on 2026-03-10: the 9 AM sweep was missed while the Scheduler was down.
        var clock = new ManualTimeProvider(Instant("2026-03-10T10:30:00-07:00"));

        await using (var scheduler = await SchedulerHost.StartAsync(_database, _broker, clock, NineAm))
        {
            await Eventually.WaitAsync(
                () => _database.ScalarAsync<bool>("SELECT coalesce(bool_or(completed_at IS NOT NULL), false) FROM sweep_runs WHERE trigger_id = $1", trigger.Id),
                completed => completed, "the caught-up sweep to complete");

            // Another tick of this Scheduler, and a second replica (or a restart), emit nothing more for the day.
            Assert.Equal(0, await PlanAsync(scheduler));
            await using var replica = await SchedulerHost.StartAsync(_database, _broker, clock, NineAm);
            Assert.Equal(0, await PlanAsync(replica));
        }

        Assert.Equal("2026-03-10", await _database.ScalarAsync<string>("SELECT local_date::text FROM sweep_runs WHERE trigger_id = $1", trigger.Id));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%RunLeadAgeSweep'"));
        Assert.Equal(2L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE trigger_id = $1", trigger.Id));
    }

    [Fact]
    public async Task NothingIsEmittedBeforeTheSweepTimeInTheClientsTimeZone()
    {
        var losAngeles = await Arrange.ClientAsync(_database, "America/Los_Angeles");
        var auckland = await Arrange.ClientAsync(_database, "Pacific/Auckland");
        var due = await Arrange.TriggerAsync(_database, losAngeles, TriggerType.LeadAge, days: 1);
        var early = await Arrange.TriggerAsync(_database, auckland, TriggerType.LeadAge, days: 1);
        await Arrange.TriggerAsync(_database, losAngeles, TriggerType.LeadAge, days: 1, active: false);
        // 17:00Z is 10:00 on the 10th in Los Angeles (due) and 06:00 on the 11th in Auckland (not yet).
        var clock = new ManualTimeProvider(Instant("2026-03-10T17:00:00Z"));

        await using var scheduler = await SchedulerHost.StartAsync(_database, _broker, clock, NineAm);
        await Eventually.WaitAsync(
            () => Arrange.CountAsync(_database, "SELECT count(*) FROM sweep_runs WHERE completed_at IS NOT NULL"), n => n >= 1,
            "the due sweep to be emitted and completed");
        // Three hours on by the test's clock: a sweep still unfinished then would rightly be emitted again.
        clock.Now = Instant("2026-03-10T19:59:59Z");
        var beforeAucklandNine = await PlanAsync(scheduler);
        clock.Now = Instant("2026-03-10T20:00:00Z");
        var atAucklandNine = await PlanAsync(scheduler);

        Assert.Equal(0, beforeAucklandNine);
        Assert.Equal(1, atAucklandNine);
        Assert.Equal("2026-03-10", await _database.ScalarAsync<string>("SELECT local_date::text FROM sweep_runs WHERE trigger_id = $1", due.Id));
        Assert.Equal("2026-03-11", await _database.ScalarAsync<string>("SELECT local_date::text FROM sweep_runs WHERE trigger_id = $1", early.Id));
        Assert.Equal(2L, await Arrange.CountAsync(_database, "SELECT count(*) FROM sweep_runs"));
    }

    [Fact]
    public async Task ASchedulerDownForSeveralDaysSweepsEachMissedDayWhenItReturns()
    {
        var client = await Arrange.ClientAsync(_database, "America/Los_Angeles");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 1);
        await _database.ExecuteAsync("UPDATE triggers SET created_at = $2, updated_at = $2 WHERE id = $1", trigger.Id, Instant("2026-03-01T12:00:00-08:00").ToUniversalTime());
        // The last day swept before the Scheduler went down.
        await _database.ExecuteAsync(
            "INSERT INTO sweep_runs (trigger_id, local_date, requested_at, completed_at, queued, skipped) VALUES ($1, '2026-03-06', $2, $2, 0, 0)",
            trigger.Id, Instant("2026-03-06T09:00:00-08:00").ToUniversalTime());
        foreach (var day in new[] { "06", "07", "08", "09" })
        {
            await Arrange.LeadAsync(_database, client, $"+141555507{day}", Instant($"2026-03-{day}T12:00:00-07:00"));
        }

        // 10:30 on the 10th: the sweeps of the 7th, 8th and 9th were missed, today's is due.
        var clock = new ManualTimeProvider(Instant("2026-03-10T10:30:00-07:00"));
        await using var scheduler = await SchedulerHost.StartAsync(_database, _broker, clock, NineAm);

        await Eventually.WaitAsync(
            () => Arrange.CountAsync(_database, "SELECT count(*) FROM sweep_runs WHERE trigger_id = $1 AND completed_at IS NOT NULL", trigger.Id),
            completed => completed == 5, "the missed days' and today's sweeps to complete");
        Assert.Equal(0, await PlanAsync(scheduler));
        Assert.Equal(4L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE trigger_id = $1", trigger.Id));
        Assert.Equal(4L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%RunLeadAgeSweep'"));
    }

    [Fact]
    public async Task ASweepRecordedButNeverCompletedIsSweptAgain()
    {
        var client = await Arrange.ClientAsync(_database, "America/Los_Angeles");
        var trigger = await Arrange.TriggerAsync(_database, client, TriggerType.LeadAge, days: 3);
        await Arrange.LeadAsync(_database, client, "+14155550711", Instant("2026-03-07T12:00:00-08:00"));
        // Emitted two hours ago; its command was lost (or its sweep died half way): no completion.
        await _database.ExecuteAsync(
            "INSERT INTO sweep_runs (trigger_id, local_date, requested_at, queued, skipped) VALUES ($1, '2026-03-10', $2, 0, 0)",
            trigger.Id, Instant("2026-03-10T09:00:00-07:00").ToUniversalTime());
        var clock = new ManualTimeProvider(Instant("2026-03-10T11:00:00-07:00"));

        await using var scheduler = await SchedulerHost.StartAsync(_database, _broker, clock, NineAm);

        await Eventually.WaitAsync(
            () => _database.ScalarAsync<bool>("SELECT completed_at IS NOT NULL FROM sweep_runs WHERE trigger_id = $1", trigger.Id),
            completed => completed, "the unfinished sweep to be run again and complete");
        Assert.Equal(0, await PlanAsync(scheduler));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM messages WHERE trigger_id = $1", trigger.Id));
        Assert.Equal(1L, await Arrange.CountAsync(_database, "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%RunLeadAgeSweep'"));
    }

    private static DateTimeOffset Instant(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> PlanAsync(SchedulerHost scheduler)
    {
        await using var scope = scheduler.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LeadAgeSweepPlanner>().PlanAsync(CancellationToken.None);
    }
}
