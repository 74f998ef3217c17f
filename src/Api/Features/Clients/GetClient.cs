using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary><c>GET /clients/{id}</c> (admin)</summary>
internal static class GetClient
{
    public static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, SmsDbContext db, CancellationToken cancellationToken) =>
        await db.Clients.AsNoTracking().Where(c => c.Id == id).Select(ClientResponse.Projection).SingleOrDefaultAsync(cancellationToken)
            is { } client
            ? TypedResults.Ok(client)
            : ApiProblems.NotFound("client");
}
