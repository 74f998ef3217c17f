using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Credits;

/// <summary>
/// Credits are only ever added as ledger rows; the balance is the database's sum of them. Adding is idempotent by
/// the caller's reference (a payment or order id), which the ledger holds unique per client.
/// </summary>
internal static class CreditsApi
{
    public static RouteGroupBuilder MapCredits(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/credits").WithTags("Credits");
        group.MapPost("/add", AddCredits.HandleAsync).RequireAuthorization(ApiAuthentication.AdminPolicy)
            .WithSummary("Add credits to a client (admin). The same reference again adds nothing and answers the first result.");
        group.MapGet("/", GetCredits.HandleAsync).RequireAuthorization(ApiAuthentication.TenantPolicy)
            .WithSummary("The client's balance and its ledger, newest first.");
        return group;
    }
}
