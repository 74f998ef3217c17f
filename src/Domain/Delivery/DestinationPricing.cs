using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// What an SMS costs, fixed when it is queued (<c>Message.CreditCost</c>): to the client's home country, its plan
/// (1 a message, or 1 a segment with <see cref="Client.PayPerSegment"/>); abroad, the operator's price per segment
/// for that country (<c>destination_prices</c>) times the segments. A country without a price is refused, never
/// sent at the home price.
/// </summary>
public static class DestinationPricing
{
    public static async Task<PricedDestination> PriceAsync(
        SmsDbContext db, Client client, string phone, int segments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(client);
        var destination = DestinationPolicy.Of(phone);
        var perSegment = destination.Country == client.HomeCountry
            ? null
            : await db.DestinationPrices.AsNoTracking().Where(p => p.Country == destination.Country)
                .Select(p => (int?)p.CreditsPerSegment).SingleOrDefaultAsync(cancellationToken);
        return Price(client, destination, segments, perSegment);
    }

    /// <summary>Every country's price per segment, for a caller that prices many numbers at once (a campaign).</summary>
    public static Task<Dictionary<string, int>> PricesAsync(SmsDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.DestinationPrices.AsNoTracking().ToDictionaryAsync(p => p.Country, p => p.CreditsPerSegment, StringComparer.Ordinal, cancellationToken);
    }

    /// <summary>The rule, with the prices read already: <paramref name="perSegment"/> is the destination's country's (unused at home).</summary>
    public static PricedDestination Price(Client client, Destination destination, int segments, int? perSegment)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Country == client.HomeCountry)
        {
            return new(destination, client.PayPerSegment ? segments : 1, null);
        }

        return perSegment is { } price
            ? new(destination, price * segments, null)
            : new(destination, null, new DestinationRefusal(DestinationPolicy.NoPrice,
                $"{DestinationPolicy.NoPrice}: there is no price for SMS to {destination.Country} (the operator sets one with PUT /admin/prices/{destination.Country}).",
                destination));
    }
}

/// <summary>A destination and what one message to it costs; or, with no price for its country, the refusal.</summary>
public sealed record PricedDestination(Destination Destination, int? CreditCost, DestinationRefusal? Refusal);
