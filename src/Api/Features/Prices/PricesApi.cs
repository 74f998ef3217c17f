using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Prices;

/// <summary>
/// The operator's price table: credits per SMS segment by destination country, for every client texting that country
/// from abroad (a client's home country is priced by its own plan). A country with no price is refused, not sent.
/// </summary>
internal static class PricesApi
{
    public static RouteGroupBuilder MapPrices(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin/prices").WithTags("Prices (admin)").RequireAuthorization(ApiAuthentication.AdminPolicy);
        group.MapGet("/", ListPrices.HandleAsync).WithSummary("The price table, by country.");
        group.MapPut("/{country}", SetPrice.HandleAsync).WithSummary("Set the credits per segment of SMS to a country (ISO 3166-1 alpha-2).");
        group.MapDelete("/{country}", DeletePrice.HandleAsync).WithSummary("Remove a country's price: SMS to it from abroad are refused again.");
        return group;
    }
}
