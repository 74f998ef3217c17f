using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary><c>GET /clients</c> (admin): newest first.</summary>
internal static class ListClients
{
    public static async Task<Results<Ok<Page<ClientResponse>>, ValidationProblem>> HandleAsync(
        SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await db.Clients.AsNoTracking().Seek(page, c => c.CreatedAt, c => c.Id).Select(ClientResponse.Projection)
            .ToPageAsync(page, r => new Cursor(r.CreatedAt, r.Id), cancellationToken));
    }
}
