using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary><c>POST /clients/{id}/rotate-key</c> (admin): the old key stops working at once.</summary>
internal static class RotateClientKey
{
    public static async Task<Results<Ok<ClientWithKeyResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, SmsDbContext db, ApiKeyCache keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (client is null)
        {
            return ApiProblems.NotFound("client");
        }

        var (key, prefix, hash) = ApiKeys.Generate();
        client.ApiKeyPrefix = prefix;
        client.ApiKeyHash = hash;
        client.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        keys.Evict(client.Id);
        return TypedResults.Ok(ClientWithKeyResponse.From(client, key));
    }
}
