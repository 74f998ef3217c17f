using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Api.Features.Prices;

/// <summary><c>DELETE /admin/prices/{country}</c></summary>
internal static class DeletePrice
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(string country, SmsDbContext db, CancellationToken cancellationToken)
    {
        var code = DestinationPolicy.Country(country);
        return code is not null && await db.DestinationPrices.Where(p => p.Country == code).ExecuteDeleteAsync(cancellationToken) > 0
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No price for '{country}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }
}
