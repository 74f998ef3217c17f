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
/// Emits <see cref="RunLeadAgeSweep"/> for each active lead_age trigger whose sweep time (the cron, in the client's
/// time zone) has passed today and whose (trigger, local date) has no sweep run yet. The sweep run is inserted in the
/// transaction of the outbox row, so replicas and restarts emit one command per trigger and day, and a Scheduler
/// that was down at the sweep time emits it on its first tick: the catch-up is the state in <c>sweep_runs</c>,
/// not Quartz's memory.
/// </summary>
internal sealed class LeadAgeSweepPlanner(SmsDbContext db, TimeProvider time, IOptions<LeadAgeScheduleOptions> options)
{
    public async Task<int> PlanAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var triggers = await db.Triggers.AsNoTracking()
            .Where(t => t.Type == TriggerType.LeadAge && t.IsActive && t.Client!.IsActive)
            .Select(t => new { t.Id, t.ClientId, t.Client!.Timezone })
            .ToListAsync(cancellationToken);
        var due = triggers
            .Select(t => (t.Id, t.ClientId, LocalDate: DueDate(now, LocalDates.Zone(t.Timezone))))
            .Where(t => t.LocalDate is not null)
            .ToList();
        var ids = due.Select(t => t.Id).ToList();
        var earliest = due.Count == 0 ? default : due.Min(t => t.LocalDate!.Value);
        var existing = (await db.SweepRuns.AsNoTracking().Where(r => ids.Contains(r.TriggerId) && r.LocalDate >= earliest)
            .Select(r => new { r.TriggerId, r.LocalDate }).ToListAsync(cancellationToken))
            .Select(r => (r.TriggerId, r.LocalDate)).ToHashSet();

        var emitted = 0;
        foreach (var (triggerId, clientId, localDate) in due.Where(t => !existing.Contains((t.Id, t.LocalDate!.Value))))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await LeadAgeSweep.RecordRequestAsync(db, triggerId, localDate!.Value, now, cancellationToken))
            {
                continue; // another replica emitted it
            }

            db.AddOutboxMessage(new RunLeadAgeSweep { TriggerId = triggerId, ClientId = clientId, LocalDate = localDate.Value });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            emitted++;
        }

        return emitted;
    }

    /// <summary>The client's local date when its sweep time today has passed; else null.</summary>
    private DateOnly? DueDate(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = LocalDates.Today(now, zone);
        var cron = new CronExpression(options.Value.SweepCron, zone);
        var first = cron.GetNextValidTimeAfter(LocalDates.StartOf(today, zone).AddSeconds(-1));
        return first is { } at && at <= now && at < LocalDates.StartOf(today.AddDays(1), zone) ? today : null;
    }
}
