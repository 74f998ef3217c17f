using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Quartz;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Domain.Triggers;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Scheduler.Triggers.LeadAge;

/// <summary>
/// Emits <see cref="RunLeadAgeSweep"/> for each active lead_age trigger and each local date whose sweep time (the
/// cron, in the client's time zone) has passed and that has no sweep run yet: today, and the days since the trigger's
/// last sweep run that a Scheduler which was down missed (at most <see cref="LeadAgeScheduleOptions.CatchUpDays"/>
/// back, none before the trigger was created or last changed, so the days it was inactive stay unswept). The sweep
/// run is inserted in the transaction of the outbox row, so replicas and restarts emit one command per trigger and
/// day: the catch-up is the state in <c>sweep_runs</c>, not Quartz's memory. A run requested longer than
/// <see cref="LeadAgeScheduleOptions.ResweepAfter"/> ago and never completed is emitted again; firings are once per
/// (trigger, lead), so a sweep run twice queues nothing twice.
/// </summary>
internal sealed class LeadAgeSweepPlanner(SmsDbContext db, TimeProvider time, IOptions<LeadAgeScheduleOptions> options)
{
    public async Task<int> PlanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var triggers = await db.Triggers.AsNoTracking()
            .Where(t => t.Type == TriggerType.LeadAge && t.IsActive && t.Client!.IsActive)
            .Select(t => new { t.Id, t.ClientId, t.UpdatedAt, t.Client!.Timezone })
            .ToListAsync(cancellationToken);
        var ids = triggers.Select(t => t.Id).ToList();
        var lastRuns = await db.SweepRuns.AsNoTracking().Where(r => ids.Contains(r.TriggerId))
            .GroupBy(r => r.TriggerId).Select(g => new { TriggerId = g.Key, LocalDate = g.Max(r => r.LocalDate) })
            .ToDictionaryAsync(r => r.TriggerId, r => r.LocalDate, cancellationToken);
        var due = triggers
            .SelectMany(t => DueDates(now, LocalDates.Zone(t.Timezone), t.UpdatedAt, lastRuns.TryGetValue(t.Id, out var last) ? last : null)
                .Select(date => (t.Id, t.ClientId, LocalDate: date)))
            .OrderBy(t => t.LocalDate)
            .ToList();

        var emitted = 0;
        foreach (var (triggerId, clientId, localDate) in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await LeadAgeSweep.RecordRequestAsync(db, triggerId, localDate, now, cancellationToken))
            {
                continue; // another replica emitted it
            }

            db.AddOutboxMessage(new RunLeadAgeSweep { TriggerId = triggerId, ClientId = clientId, LocalDate = localDate });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            emitted++;
        }

        return emitted + await ResweepUnfinishedAsync(now, settings.ResweepAfter, cancellationToken);
    }

    private async Task<int> ResweepUnfinishedAsync(DateTimeOffset now, TimeSpan after, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var unfinished = await LeadAgeSweep.ClaimUnfinishedAsync(db, now - after, now, cancellationToken);
        foreach (var (triggerId, clientId, localDate) in unfinished)
        {
            db.AddOutboxMessage(new RunLeadAgeSweep { TriggerId = triggerId, ClientId = clientId, LocalDate = localDate });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return unfinished.Count;
    }

    /// <summary>
    /// The local dates to sweep: today once its sweep time has passed, and the earlier days after
    /// <paramref name="lastRun"/> whose sweep time passed, back to <see cref="LeadAgeScheduleOptions.CatchUpDays"/>
    /// and not before the trigger's creation.
    /// </summary>
    private IEnumerable<DateOnly> DueDates(DateTimeOffset now, TimeZoneInfo zone, DateTimeOffset changedAt, DateOnly? lastRun)
    {
        var today = LocalDates.Today(now, zone);
        var from = today.AddDays(-options.Value.CatchUpDays);
        // Not before the trigger's last change (its creation, or its activation): days it was inactive stay unswept.
        var changed = LocalDates.Today(changedAt, zone);
        if (changed > from)
        {
            from = changed;
        }

        if (lastRun is { } last && last.AddDays(1) > from)
        {
            from = last.AddDays(1);
        }

        var cron = new CronExpression(options.Value.SweepCron, zone);
        // Today is due even for a trigger changed after its sweep time (as before); a past day only from its last change.
        for (var date = from < today ? from : today; date <= today; date = date.AddDays(1))
        {
            if (lastRun is { } swept && date <= swept)
            {
                continue;
            }

            var first = cron.GetNextValidTimeAfter(LocalDates.StartOf(date, zone).AddSeconds(-1));
            if (first is { } at && at <= now && at < LocalDates.StartOf(date.AddDays(1), zone))
            {
                yield return date;
            }
        }
    }
}
