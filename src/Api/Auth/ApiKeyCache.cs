using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Auth;

/// <summary>
/// Key prefix → client, so that a request's authentication costs no database round trip. A known prefix is kept for
/// <see cref="AuthOptions.ApiKeyCacheDuration"/>; an unknown one for <see cref="AuthOptions.UnknownApiKeyCacheDuration"/>
/// (at most <see cref="AuthOptions.MaxUnknownApiKeys"/> of them), so a forged key repeated costs one query, not one
/// per request. Every replica evicts a prefix when the database reports its client's key changed
/// (<see cref="ApiKeyChangeListener"/>); the durations bound staleness only while that signal is lost.
/// </summary>
internal sealed class ApiKeyCache(IServiceScopeFactory scopes, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _unknown;

    // Bumped by every eviction: a lookup that read the database before an eviction must not store what it read.
    private long _generation;
    private long _lastPurgeTicks;

    public async ValueTask<ApiKeyOwner?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(prefix, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Owner;
        }

        var generation = Interlocked.Read(ref _generation);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var owner = await db.Clients.AsNoTracking()
            .Where(c => c.ApiKeyPrefix == prefix)
            .Select(c => new ApiKeyOwner(c.Id, c.ApiKeyHash, c.IsActive))
            .SingleOrDefaultAsync(cancellationToken);

        var settings = options.Value;
        if (owner is null && Volatile.Read(ref _unknown) >= settings.MaxUnknownApiKeys)
        {
            PurgeExpiredUnknown(now);
        }

        var duration = owner is null ? settings.UnknownApiKeyCacheDuration : settings.ApiKeyCacheDuration;
        Remove(prefix);
        var keep = duration > TimeSpan.Zero && Interlocked.Read(ref _generation) == generation
            && (owner is not null || Volatile.Read(ref _unknown) < settings.MaxUnknownApiKeys);
        if (keep && _entries.TryAdd(prefix, new Entry(owner, now + duration)) && owner is null)
        {
            Interlocked.Increment(ref _unknown);
        }

        return owner;
    }

    /// <summary>
    /// Whether <paramref name="prefix"/> was found to be a client's key here, even if that entry is past its time: such
    /// a key is let through to its look-up while the Api refuses unknown ones (<see cref="FailedAuthenticationLimiter"/>).
    /// </summary>
    public bool IsKnown(string prefix) => _entries.TryGetValue(prefix, out var entry) && entry.Owner is not null;

    /// <summary>Forgets the client's keys (deactivation, rotation through this process).</summary>
    public void Evict(Guid clientId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (prefix, entry) in _entries)
        {
            if (entry.Owner?.ClientId == clientId)
            {
                Remove(prefix);
            }
        }
    }

    /// <summary>Forgets one prefix, known or not (its client's key changed, through any replica).</summary>
    public void Evict(string prefix)
    {
        Interlocked.Increment(ref _generation);
        Remove(prefix);
    }

    /// <summary>Forgets everything: changes may have gone unreported (the listener was away).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        foreach (var prefix in _entries.Keys)
        {
            Remove(prefix);
        }
    }

    /// <summary>Drops unknown prefixes past their time (nobody asks for most of them again), at most once a second.</summary>
    private void PurgeExpiredUnknown(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastPurgeTicks);
        if (now.UtcTicks - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastPurgeTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var entry in _entries)
        {
            // Only that entry: another request may have put a new one under the prefix meanwhile.
            if (entry.Value.Owner is null && entry.Value.ExpiresAt <= now && _entries.TryRemove(entry))
            {
                Interlocked.Decrement(ref _unknown);
            }
        }
    }

    private void Remove(string prefix)
    {
        if (_entries.TryRemove(prefix, out var removed) && removed.Owner is null)
        {
            Interlocked.Decrement(ref _unknown);
        }
    }

    private sealed record Entry(ApiKeyOwner? Owner, DateTimeOffset ExpiresAt);
}

internal sealed record ApiKeyOwner(Guid ClientId, byte[] Hash, bool IsActive);
