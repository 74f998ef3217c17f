using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Idempotency;

namespace SmsRemarketing.Api.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> rules: the same key and request within the lifetime answer the first result and do
/// nothing new; the same key with another request is refused. Only successes are recorded, in the same transaction
/// as their effects, so a request that was refused (no credit, say) can be retried with the same key once fixed.
/// </summary>
internal sealed class IdempotentRequests(IOptions<IdempotencyOptions> options, IOptions<JsonOptions> json, TimeProvider time)
{
    public const string Header = "Idempotency-Key";
    public const string PrimaryKey = "pk_idempotency_keys";

    public static bool IsValidKey(string key) => key.Length is > 0 and <= 255 && key.All(c => c is >= '!' and <= '~');

    /// <summary>
    /// SHA-256 of the route and the request as parsed (<see cref="CanonicalJson"/>), so formatting and the order of
    /// fields, at any depth, do not matter; an absent field and its explicit null are the same.
    /// </summary>
    public byte[] Hash(string route, object request) =>
        SHA256.HashData([.. Encoding.UTF8.GetBytes(route + "\n"), .. CanonicalJson.Serialize(request, json.Value.SerializerOptions)]);

    public async Task<IdempotencyLookup<T>> FindAsync<T>(SmsDbContext db, Guid clientId, string key, byte[] hash, CancellationToken cancellationToken)
    {
        var record = await db.Set<IdempotencyRecord>().AsNoTracking()
            .SingleOrDefaultAsync(r => r.ClientId == clientId && r.Key == key, cancellationToken);
        if (record is null)
        {
            return IdempotencyLookup<T>.New;
        }

        if (record.CreatedAt < time.GetUtcNow() - options.Value.IdempotencyKeyLifetime)
        {
            // Expired: forget it, so the key can be recorded again by this request.
            await db.Set<IdempotencyRecord>().Where(r => r.ClientId == clientId && r.Key == key && r.CreatedAt == record.CreatedAt)
                .ExecuteDeleteAsync(cancellationToken);
            return IdempotencyLookup<T>.New;
        }

        return record.RequestHash.AsSpan().SequenceEqual(hash)
            ? IdempotencyLookup<T>.Replay(JsonSerializer.Deserialize<T>(record.Response, json.Value.SerializerOptions)!)
            : IdempotencyLookup<T>.Mismatch;
    }

    public void Record(SmsDbContext db, Guid clientId, string key, byte[] hash, int statusCode, object response) =>
        db.Set<IdempotencyRecord>().Add(new IdempotencyRecord
        {
            ClientId = clientId,
            Key = key,
            RequestHash = hash,
            StatusCode = statusCode,
            Response = JsonSerializer.Serialize(response, response.GetType(), json.Value.SerializerOptions),
            CreatedAt = time.GetUtcNow(),
        });
}
