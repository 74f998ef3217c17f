using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Domain.Triggers;

/// <summary>
/// One sweep of a <c>lead_age</c> trigger for a local date of its client: the leads created on (date − days) in
/// the client's time zone, streamed in keyset pages on (created_at, id), each page queued and its firings recorded
/// in one transaction, written with COPY (<see cref="TriggerFirer.TryCopyAsync"/>). The Scheduler's consumer and
/// <c>POST /triggers/{id}/sweep</c> both run this; firings make any repetition (a redelivered command, a second
/// replica, an operator) queue nothing twice.
/// </summary>
public sealed class LeadAgeSweep(TriggerFirer firer, TimeProvider time)
{
    public const int DefaultPageSize = 500;

    public int PageSize { get; init; } = DefaultPageSize;

    public async Task<SweepResult> RunAsync(SmsDbContext db, Guid triggerId, DateOnly localDate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var trigger = await db.Triggers.AsNoTracking().Include(t => t.Template).SingleOrDefaultAsync(t => t.Id == triggerId, cancellationToken);
        if (trigger is null)
        {
            return new SweepResult(SweepStatus.TriggerNotFound, triggerId, localDate, null, 0, 0);
        }

        if (trigger.Type != TriggerType.LeadAge || trigger.Days is not { } days)
        {
            return new SweepResult(SweepStatus.NotLeadAge, triggerId, localDate, null, 0, 0);
        }

        await RecordRequestAsync(db, triggerId, localDate, time.GetUtcNow(), cancellationToken);
        var createdOn = localDate.AddDays(-days);
        if (!trigger.IsActive)
        {
            await CompleteAsync(db, triggerId, localDate, TriggerFirer.TriggerInactive, 0, 0, cancellationToken);
            return new SweepResult(SweepStatus.TriggerInactive, triggerId, localDate, createdOn, 0, 0);
        }

        var timezone = await db.Clients.Where(c => c.Id == trigger.ClientId).Select(c => c.Timezone).SingleAsync(cancellationToken);
        var (start, end) = LocalDates.UtcRange(createdOn, LocalDates.Zone(timezone));
        var (queued, skipped) = (0, 0);
        (DateTimeOffset CreatedAt, Guid Id)? after = null;
        while (true)
        {
            // Re-read per page: the balance and the active flag may change during a long sweep.
            var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == trigger.ClientId, cancellationToken);
            var page = await DuePage(db, trigger.Id, trigger.ClientId, start, end, after).Take(PageSize).ToListAsync(cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var firings = await firer.StageAsync(db, trigger, client, page, MessageSource.LeadAge, null, cancellationToken);
            if (!await firer.TryCopyAsync(db, cancellationToken))
            {
                continue; // another process fired some of these leads: the same page again, without them
            }

            // A deferred message (scheduled) is queued for later: it counts as queued, not skipped.
            var sent = firings.Count(f => f.Outcome is TriggerFiring.Queued or TriggerFiring.Scheduled);
            queued += sent;
            skipped += firings.Count - sent;
            after = (page[^1].CreatedAt, page[^1].Id);
        }

        await CompleteAsync(db, triggerId, localDate, null, queued, skipped, cancellationToken);
        return new SweepResult(SweepStatus.Swept, triggerId, localDate, createdOn, queued, skipped);
    }

    /// <summary>Records that the sweep of (trigger, date) was asked for; false when it already was.</summary>
    public static async Task<bool> RecordRequestAsync(
        SmsDbContext db, Guid triggerId, DateOnly localDate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO sweep_runs (trigger_id, local_date, requested_at, queued, skipped) VALUES ({triggerId}, {localDate}, {now}, 0, 0) ON CONFLICT DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }

    private static IQueryable<Lead> DuePage(
        SmsDbContext db, Guid triggerId, Guid clientId, DateTimeOffset start, DateTimeOffset end, (DateTimeOffset CreatedAt, Guid Id)? after)
    {
        var query = db.Leads.AsNoTracking()
            .Where(l => l.ClientId == clientId && l.CreatedAt >= start && l.CreatedAt < end)
            .Where(l => !db.TriggerFirings.Any(f => f.TriggerId == triggerId && f.LeadId == l.Id));
        if (after is { } position)
        {
            // The first condition is the one the (client_id, created_at) index can start from; without it every page
            // would scan the day from its start again: a sweep of 100,000 due leads would read some ten million rows.
            query = query.Where(l => l.CreatedAt >= position.CreatedAt)
                .Where(l => l.CreatedAt > position.CreatedAt || (l.CreatedAt == position.CreatedAt && l.Id.CompareTo(position.Id) > 0));
        }

        return query.OrderBy(l => l.CreatedAt).ThenBy(l => l.Id);
    }

    private Task<int> CompleteAsync(
        SmsDbContext db, Guid triggerId, DateOnly localDate, string? outcome, int queued, int skipped, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.SweepRuns.Where(r => r.TriggerId == triggerId && r.LocalDate == localDate).ExecuteUpdateAsync(r => r
            .SetProperty(x => x.CompletedAt, now)
            .SetProperty(x => x.Outcome, outcome)
            .SetProperty(x => x.Queued, x => x.Queued + queued)
            .SetProperty(x => x.Skipped, x => x.Skipped + skipped), cancellationToken);
    }
}
