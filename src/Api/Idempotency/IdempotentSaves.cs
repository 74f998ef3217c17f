using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Idempotency;

namespace SmsRemarketing.Api.Idempotency;

/// <summary>
/// How a send commits, with an <c>Idempotency-Key</c> or without: the unit of work is saved through
/// <see cref="SharedSaves"/> (one transaction and one WAL flush with whatever other sends are waiting), and when
/// <see cref="IdempotencyFilter{TRequest, TResponse}"/> claimed a key for this request, the answer is recorded in
/// the same transaction as the writes it reports. A unit of work begun in a transaction of its own (one that holds
/// the frequency cap's lead locks) is saved and committed in it instead: the locks must last until its rows commit,
/// and a shared save would need a second connection while this one waits. One per request.
/// </summary>
internal sealed class IdempotentSaves(SharedSaves saves, IdempotentRequests requests)
{
    private Claim? _claim;

    /// <summary>Whether this request's answer was committed under its claimed key.</summary>
    public bool Recorded { get; private set; }

    /// <summary>Called by the filter: this request's answer is to be remembered under <paramref name="key"/>.</summary>
    public void ClaimKey(Guid clientId, string key, byte[] requestHash) => _claim = new Claim(clientId, key, requestHash);

    /// <summary>
    /// Commits what <paramref name="db"/> has added, with <paramref name="answer"/> recorded for a claimed key. A key
    /// a concurrent request committed first fails the save with <see cref="IdempotencyKeyTakenException"/>, which the
    /// filter answers.
    /// </summary>
    public async Task SaveAsync<TAnswer>(SmsDbContext db, TAnswer answer, CancellationToken cancellationToken)
        where TAnswer : IStatusCodeHttpResult, IValueHttpResult
    {
        if (_claim is { } claim)
        {
            requests.Record(db, claim.ClientId, claim.Key, claim.RequestHash, answer.StatusCode ?? StatusCodes.Status200OK, answer.Value!);
        }

        try
        {
            await CommitAsync(db, cancellationToken);
            Recorded = _claim is not null;
        }
        catch (DbUpdateException exception) when (_claim is not null)
        {
            // Did a concurrent request with the same key commit first? Which unique index this save hit first (the
            // key's, or one of the writes', such as a trigger's once-per-lead firing) is up to the order of the
            // inserts; either way this request is then a retry of that one, which the filter answers.
            var taken = _claim;
            if (!await db.Set<IdempotencyRecord>().AnyAsync(r => r.ClientId == taken.ClientId && r.Key == taken.Key, cancellationToken))
            {
                throw;
            }

            db.ChangeTracker.Clear();
            throw new IdempotencyKeyTakenException(exception);
        }
    }

    private async Task CommitAsync(SmsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not { } own)
        {
            await saves.SaveAsync(db, cancellationToken);
            return;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await own.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            await own.RollbackAsync(cancellationToken);
            throw;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private sealed record Claim(Guid ClientId, string Key, byte[] RequestHash);
}
