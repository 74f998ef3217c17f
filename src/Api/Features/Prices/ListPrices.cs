using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Prices;

/// <summary><c>GET /admin/prices</c>: a table of at most a few hundred rows, answered whole.</summary>
internal static class ListPrices
{
    public static async Task<Ok<List<PriceResponse>>> HandleAsync(SmsDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.DestinationPrices.AsNoTracking().OrderBy(p => p.Country)
            .Select(p => new PriceResponse(p.Country, p.CreditsPerSegment, p.UpdatedAt)).ToListAsync(cancellationToken));
}
