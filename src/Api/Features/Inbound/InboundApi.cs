using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Inbound;

/// <summary>What the client's numbers received.</summary>
internal static class InboundApi
{
    public static IEndpointRouteBuilder MapInbound(this IEndpointRouteBuilder routes)
    {
        var inbound = routes.MapGroup("/inbound-messages").WithTags("Inbound").RequireAuthorization(ApiAuthentication.TenantPolicy);
        inbound.MapGet("/", ListInboundMessages.HandleAsync)
            .WithSummary("Received SMS, newest first, with a cursor; possible_opt_out=true for those that read like an opt-out.");
        return routes;
    }
}
