using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// A client's suppression list (its opted-out leads), the consent history of a lead, and the HELP reply. Every
/// opt-out and opt-in made here is recorded as a consent event with source <c>api</c>.
/// </summary>
internal static class ComplianceApi
{
    public static IEndpointRouteBuilder MapCompliance(this IEndpointRouteBuilder routes)
    {
        var suppressions = routes.MapGroup("/suppressions").WithTags("Compliance").RequireAuthorization(ApiAuthentication.TenantPolicy);
        suppressions.MapGet("/", ListSuppressions.HandleAsync).WithSummary("The opted-out leads, most recent opt-out first, with a cursor.");
        suppressions.MapPost("/", AddSuppression.HandleAsync).WithSummary("Opt a lead out (200; a lead already opted out stays as it is).");
        suppressions.MapDelete("/{leadId:guid}", RemoveSuppression.HandleAsync)
            .WithSummary("Opt a lead back in: only with the lead's renewed consent. 404 when the lead is not opted out.");

        var compliance = routes.MapGroup("/").WithTags("Compliance").RequireAuthorization(ApiAuthentication.TenantPolicy);
        compliance.MapGet("/leads/{leadId:guid}/consent-events", ListConsentEvents.HandleAsync)
            .WithSummary("Every opt-out and opt-in of a lead, oldest first, with its source (keyword, twilio_error_21610, api).");
        compliance.MapGet("/compliance/help-text", GetHelpText.HandleAsync);
        compliance.MapPut("/compliance/help-text", SetHelpText.HandleAsync).WithSummary("Set the reply to HELP/INFO; null or \"\" restores the default.");
        compliance.MapGet("/compliance/delivery-policy", GetDeliveryPolicy.HandleAsync)
            .WithSummary("Quiet hours, frequency caps, max segments and pricing that apply to this client's sends (set by the operator).");
        return routes;
    }
}
