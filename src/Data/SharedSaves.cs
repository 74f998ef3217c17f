using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace SmsRemarketing.Data;

/// <summary>
/// Group commit for insert-only units of work: each caller hands over the entities its own DbContext has added
/// (a message and its outbox row, say) and awaits their commit; whatever callers are waiting are saved together
/// by one SaveChanges on a context of the pool — one transaction, one round trip of inserts, one WAL flush for all
/// of them. A caller returns only after its rows are committed, so what it answers (a 202) is as durable as with
/// its own SaveChanges. A batch that fails is saved again one caller at a time (<see cref="GroupCommit{TItem,TResult}"/>),
/// so a caller whose rows break a constraint gets its own <see cref="DbUpdateException"/> and the others commit.
/// Registered interceptors run as for any SaveChanges (the outbox's wakes the relay after the commit).
/// </summary>
public sealed class SharedSaves : IAsyncDisposable
{
    public const int DefaultMaxBatch = 64;

    private static readonly ActivitySource Telemetry = new("SmsRemarketing.Data");

    private readonly IServiceScopeFactory _scopes;
    private readonly GroupCommit<Unit, DbUpdateException?> _commits;

    public SharedSaves(IServiceScopeFactory scopes, int maxBatch = DefaultMaxBatch)
    {
        _scopes = scopes;
        _commits = new GroupCommit<Unit, DbUpdateException?>(SaveBatchAsync, maxBatch);
    }

    /// <summary>
    /// Saves what <paramref name="db"/> has added, with other callers' rows, and clears its change tracker. Only
    /// added entities may be tracked (a modified or deleted one would be silently lost, so it throws); entities
    /// must reference others by key, not by a navigation to a tracked, unchanged entity.
    /// </summary>
    public async Task SaveAsync(SmsDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entries = db.ChangeTracker.Entries().ToList();
        if (entries.Any(e => e.State is not (EntityState.Added or EntityState.Unchanged or EntityState.Detached)))
        {
            throw new InvalidOperationException("SharedSaves saves added entities only; this unit of work modifies or deletes some.");
        }

        var added = entries.Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        db.ChangeTracker.Clear();
        if (added.Count == 0)
        {
            return;
        }

        if (await _commits.RunAsync(new Unit(added, Activity.Current?.Context), cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public ValueTask DisposeAsync() => _commits.DisposeAsync();

    private async Task<IReadOnlyList<DbUpdateException?>> SaveBatchAsync(IReadOnlyList<Unit> units, CancellationToken cancellationToken)
    {
        // The batch's own span, linked to each caller's: a request's trace shows which shared commit saved it.
        using var activity = Telemetry.StartActivity(ActivityKind.Internal, parentContext: default,
            links: units.Where(u => u.Caller is not null).Select(u => new ActivityLink(u.Caller!.Value)), name: "shared save");
        activity?.SetTag("smsr.shared_save.units", units.Count);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        foreach (var entity in units.SelectMany(unit => unit.Entities))
        {
            db.Add(entity);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new DbUpdateException?[units.Count];
        }
        catch (DbUpdateException failure) when (units.Count == 1)
        {
            // The lone caller's own failure (a unique key taken, say) is its answer, not the loop's.
            return [failure];
        }
    }

    /// <summary>One caller's added entities, and where it was in its trace.</summary>
    private sealed record Unit(IReadOnlyList<object> Entities, ActivityContext? Caller);
}
