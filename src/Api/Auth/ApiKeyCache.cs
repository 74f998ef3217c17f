using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Auth;

/// <summary>
/// Key prefix → client, kept for <see cref="AuthOptions.ApiKeyCacheDuration"/> so that a request's authentication
/// costs no database round trip. Deactivation and rotation in this process evict at once; other replicas see them
/// when their entry expires. Unknown prefixes are not cached: a new key always has a new prefix anyway.
/// </summary>
internal sealed class ApiKeyCache(IServiceScopeFactory scopes, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<ApiKeyOwner?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(prefix, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Owner;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var owner = await db.Clients.AsNoTracking()
            .Where(c => c.ApiKeyPrefix == prefix)
            .Select(c => new ApiKeyOwner(c.Id, c.ApiKeyHash, c.IsActive))
            .SingleOrDefaultAsync(cancellationToken);

        var duration = options.Value.ApiKeyCacheDuration;
        if (owner is not null && duration > TimeSpan.Zero)
        {
            _entries[prefix] = new Entry(owner, now + duration);
        }
        else
        {
            _entries.TryRemove(prefix, out _);
        }

        return owner;
    }

    public void Evict(Guid clientId)
    {
        foreach (var (prefix, entry) in _entries)
        {
            if (entry.Owner.ClientId == clientId)
            {
                _entries.TryRemove(prefix, out _);
            }
        }
    }

    private sealed record Entry(ApiKeyOwner Owner, DateTimeOffset ExpiresAt);
}

internal sealed record ApiKeyOwner(Guid ClientId, byte[] Hash, bool IsActive);
