using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
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
            var window = await LeadsCreatedBetween(db, trigger.ClientId, start, end, after).Take(PageSize).ToListAsync(cancellationToken);
            if (window.Count == 0)
            {
                break;
            }

            var ids = window.Select(l => l.Id).ToList();
            var fired = (await db.TriggerFirings.Where(f => f.TriggerId == trigger.Id && ids.Contains(f.LeadId)).Select(f => f.LeadId)
                .ToListAsync(cancellationToken)).ToHashSet();
            var page = window.Where(l => !fired.Contains(l.Id)).ToList();
            if (page.Count > 0)
            {
                // The page's leads stay locked for the frequency cap until TryCopyAsync commits (or rolls back) this.
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var firings = await firer.StageAsync(db, trigger, client, page, MessageSource.LeadAge, null, cancellationToken);
                if (!await firer.TryCopyAsync(db, cancellationToken))
                {
                    continue; // another process fired some of these leads: the same window again, without them
                }

                // A deferred message (scheduled) is queued for later: it counts as queued, not skipped.
                var sent = firings.Count(f => f.Outcome is TriggerFiring.Queued or TriggerFiring.Scheduled);
                queued += sent;
                skipped += firings.Count - sent;
            }

            after = (window[^1].CreatedAt, window[^1].Id);
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

    /// <summary>
    /// Claims the sweep runs requested before <paramref name="requestedBefore"/> and never completed, setting their
    /// <c>requested_at</c> to <paramref name="now"/> (so no other replica, nor the next tick, claims them again before
    /// the bound passes once more). The caller emits their commands in the same transaction.
    /// </summary>
    public static async Task<IReadOnlyList<(Guid TriggerId, Guid ClientId, DateOnly LocalDate)>> ClaimUnfinishedAsync(
        SmsDbContext db, DateTimeOffset requestedBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        // The condition is checked again on the locked row: of two replicas, the second finds requested_at moved on.
        await using var command = new NpgsqlCommand("""
            UPDATE sweep_runs r SET requested_at = $2
            FROM triggers t
            WHERE t.id = r.trigger_id AND r.completed_at IS NULL AND r.requested_at < $1
            RETURNING r.trigger_id, t.client_id, r.local_date
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = requestedBefore });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        var claimed = new List<(Guid, Guid, DateOnly)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateOnly>(2)));
        }

        return claimed;
    }

    /// <summary>
    /// The day's leads in (created_at, id) order after <paramref name="after"/>, fired or not, so that a page costs
    /// the same at the end of the day as at its start. With the fired ones left out here (NOT EXISTS) and the keyset
    /// as an OR, PostgreSQL read the rest of the day and every firing of the trigger for each page, then sorted: a
    /// sweep quadratic in the day (10 ms a page half way through 10,000 leads, growing). As a row comparison the
    /// keyset lets it walk the (client_id, created_at) index in order and stop after one page (0.4 ms); the fired
    /// leads are found by one primary-key lookup of the page's ids.
    /// </summary>
    private static IQueryable<Lead> LeadsCreatedBetween(
        SmsDbContext db, Guid clientId, DateTimeOffset start, DateTimeOffset end, (DateTimeOffset CreatedAt, Guid Id)? after)
    {
        var query = db.Leads.AsNoTracking().Where(l => l.ClientId == clientId && l.CreatedAt >= start && l.CreatedAt < end);
        if (after is { } position)
        {
            query = query.Where(l => EF.Functions.GreaterThan(ValueTuple.Create(l.CreatedAt, l.Id), ValueTuple.Create(position.CreatedAt, position.Id)));
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
