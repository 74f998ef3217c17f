using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Outbox;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Domain.Delivery;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Domain.Triggers;

/// <summary>
/// Fires a trigger for leads: per lead, the queued message (and its outbox row) or the reason it was skipped, and
/// the <see cref="TriggerFiring"/> that makes it once-only, all in the caller's unit of work. The caller saves
/// with <see cref="TrySaveAsync"/> (or, for a sweep's page of inserts, <see cref="TryCopyAsync"/>): a firing that
/// lost a race to another process rolls the whole unit back, and the caller stages again without the leads that
/// are now fired.
/// </summary>
public sealed class TriggerFirer(OutgoingMessages outgoing, OutboxRelayWakeup wakeup, TimeProvider time)
{
    public const string TriggerInactive = "trigger_inactive";

    /// <summary>
    /// Stages one firing per lead; <paramref name="trigger"/> comes with its <see cref="Trigger.Template"/>. Call it in
    /// a transaction that the save commits: the frequency cap locks the leads until then.
    /// </summary>
    public async Task<IReadOnlyList<TriggerFiring>> StageAsync(
        SmsDbContext db, Trigger trigger, Client client, IReadOnlyCollection<Lead> leads, MessageSource source,
        IReadOnlyDictionary<string, string?>? variables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(leads);
        var now = time.GetUtcNow();
        // The frequency cap's history of the whole page in one query and one look through the change tracker (for
        // what this unit of work staged already), not one of each per lead: per lead, the look was quadratic in a page.
        // Locks the leads until the caller's transaction ends (the caller commits its firings in it).
        var history = trigger.IsActive && client.FrequencyCaps.Count > 0 && SendingPolicy.Of(client).RulesFor(trigger.Category) == MessageCategory.Marketing
            ? await FrequencyCap.RecentSendsAsync(db, client, leads.Select(l => l.Id).ToList(), now, cancellationToken)
            : [];
        // Today's spend of a capped client read once for the page; each message queued adds to it.
        var spent = trigger.IsActive && DestinationPolicy.Of(client).HasDailyCap
            ? await DailySpend.ReadAsync(db, client.Id, client.Timezone, now, cancellationToken)
            : null;

        var firings = new List<TriggerFiring>();
        foreach (var lead in leads)
        {
            var firing = new TriggerFiring { TriggerId = trigger.Id, LeadId = lead.Id, ClientId = client.Id, Outcome = TriggerInactive, FiredAt = now };
            if (!trigger.IsActive)
            {
                firing.Detail = "The trigger is inactive.";
            }
            else
            {
                var queued = await outgoing.EnqueueAsync(db, new QueueMessage
                {
                    Client = client,
                    Lead = lead,
                    Template = trigger.Template,
                    Variables = variables,
                    Source = source,
                    TriggerId = trigger.Id,
                    Category = trigger.Category,
                    RecentAutomatedSends = history.GetValueOrDefault(lead.Id) ?? [],
                    SpentToday = spent,
                }, cancellationToken);
                firing.Outcome = OutcomeOf(queued);
                firing.Detail = queued.Detail;
                firing.Message = queued.Message;
                firing.MessageId = queued.Message?.Id;
            }

            db.TriggerFirings.Add(firing);
            firings.Add(firing);
        }

        return firings;
    }

    /// <summary><c>queued</c>, <c>scheduled</c> (deferred by the delivery policy), or the rejection in snake_case.</summary>
    public static string OutcomeOf(QueueResult queued)
    {
        ArgumentNullException.ThrowIfNull(queued);
        return queued.IsScheduled ? TriggerFiring.Scheduled
            : queued.IsQueued ? TriggerFiring.Queued
            : SnakeCaseEnumConverter.ToSnakeCase(queued.Rejection!.Value);
    }

    /// <summary>
    /// Saves the unit of work and commits the caller's transaction (the one that holds the leads' locks), if any. False
    /// when a firing in it already exists (another process fired first): then nothing was written, the transaction is
    /// rolled back and the change tracker is cleared.
    /// </summary>
    public static async Task<bool> TrySaveAsync(SmsDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = db.Database.CurrentTransaction;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return true;
        }
        catch (DbUpdateException exception) when (IsDuplicateFiring(exception))
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// Like <see cref="TrySaveAsync"/>, for a unit of work of inserts only (a sweep's page), written with COPY
    /// (<see cref="AddedRowsCopy"/>) instead of an INSERT per row. The change tracker is cleared either way. It ends
    /// the caller's transaction (the one that holds the leads' locks), committed or rolled back, or commits its own:
    /// the relay is woken here, after the commit.
    /// </summary>
    public async Task<bool> TryCopyAsync(SmsDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var transaction = db.Database.CurrentTransaction;
        var events = db.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added);
        try
        {
            await AddedRowsCopy.WriteAsync(db, cancellationToken);
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (PostgresException exception) when (IsDuplicateFiring(exception))
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
            }

            db.ChangeTracker.Clear();
            return false;
        }

        // COPY bypasses SaveChanges and so the outbox's interceptor: the relay is woken here, as it would have been.
        if (events)
        {
            await wakeup.CommittedAsync(cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// A unique violation of the firings' primary key: from SaveChanges (a DbUpdateException around it) or from
    /// a COPY (the PostgresException itself).
    /// </summary>
    public static bool IsDuplicateFiring(Exception exception) =>
        (exception as PostgresException ?? exception?.InnerException as PostgresException)
            is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: TriggerFiring.PrimaryKey };
}
