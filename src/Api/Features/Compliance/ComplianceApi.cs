using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// A client's suppression list (its opted-out numbers), the consent history of a number or lead, its keywords and
/// double opt-in, and the HELP reply. Every opt-out and opt-in made here is recorded as a consent event with source
/// <c>api</c>; an opt-out the person made is theirs to lift.
/// </summary>
internal static class ComplianceApi
{
    public static IEndpointRouteBuilder MapCompliance(this IEndpointRouteBuilder routes)
    {
        var suppressions = routes.MapGroup("/suppressions").WithTags("Compliance").RequireAuthorization(ApiAuthentication.TenantPolicy);
        suppressions.MapGet("/", ListSuppressions.HandleAsync).WithSummary("The opted-out numbers, most recent opt-out first, with a cursor.");
        suppressions.MapPost("/", AddSuppression.HandleAsync)
            .WithSummary("Opt a number out, by lead_id or phone (200; a number already opted out stays as it is).");
        suppressions.MapDelete("/{leadId:guid}", RemoveSuppression.ByLeadAsync)
            .WithSummary("Lift the opt-out of a lead's number, with the renewed consent (consent_source, consent_at, consent_text). "
                + "409 when the person opted out themselves; 404 when the number is not opted out.");
        suppressions.MapDelete("/by-phone/{phone}", RemoveSuppression.ByPhoneAsync)
            .WithSummary("Lift the opt-out of a number, as DELETE /suppressions/{leadId} does.");

        var compliance = routes.MapGroup("/").WithTags("Compliance").RequireAuthorization(ApiAuthentication.TenantPolicy);
        compliance.MapGet("/leads/{leadId:guid}/consent-events", ListConsentEvents.HandleAsync)
            .WithSummary("Every consent event of the lead's number, oldest first, with its source (keyword, twilio_error_21610, twilio_opt_out_type, message_text, api, service).");
        compliance.MapGet("/consent/{phone}", GetPhoneConsent.HandleAsync)
            .WithSummary("A number's consent now and its whole history, whether or not a lead has it.");
        compliance.MapGet("/compliance/consent-settings", ConsentSettingsEndpoints.GetAsync);
        compliance.MapPatch("/compliance/consent-settings", ConsentSettingsEndpoints.UpdateAsync)
            .WithSummary("Keyword languages, custom keywords, opting out on opt-out phrases, double opt-in and its confirmation text.");
        compliance.MapGet("/compliance/help-text", GetHelpText.HandleAsync);
        compliance.MapPut("/compliance/help-text", SetHelpText.HandleAsync).WithSummary("Set the reply to HELP/INFO; null or \"\" restores the default.");
        compliance.MapGet("/compliance/delivery-policy", GetDeliveryPolicy.HandleAsync)
            .WithSummary("Quiet hours, frequency caps, max segments and pricing that apply to this client's sends (set by the operator).");
        return routes;
    }
}
