using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Api.Features.Prices;

internal sealed record SetPriceRequest(int? CreditsPerSegment);

/// <summary><c>PUT /admin/prices/{country}</c>: creates or replaces the row; messages already queued keep the cost they were queued at.</summary>
internal static class SetPrice
{
    /// <summary>A bound that catches a typo (an amount of credits, not a price in cents), far above any real rate.</summary>
    public const int MaxCreditsPerSegment = 1000;

    public static async Task<Results<Ok<PriceResponse>, ValidationProblem>> HandleAsync(
        string country, SetPriceRequest request, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var code = DestinationPolicy.Country(country);
        if (code is null)
        {
            errors.Add("country", $"'{country}' is not an ISO 3166-1 alpha-2 country code (e.g. GB).");
        }

        if (request.CreditsPerSegment is not (>= 1 and <= MaxCreditsPerSegment))
        {
            errors.Add("credits_per_segment", $"Required: a whole number of credits between 1 and {MaxCreditsPerSegment}.");
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        // One statement: two operators setting the same country at once both succeed, the later one wins.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO destination_prices (country, credits_per_segment, updated_at) VALUES ({code}, {request.CreditsPerSegment!.Value}, {now})
            ON CONFLICT (country) DO UPDATE SET credits_per_segment = excluded.credits_per_segment, updated_at = excluded.updated_at
            """, cancellationToken);
        return TypedResults.Ok(new PriceResponse(code!, request.CreditsPerSegment.Value, now));
    }
}
