using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>A number's consent to the client now, and its whole history: the export a TCPA defence needs.</summary>
internal sealed record PhoneConsentResponse(
    string Phone, Guid? LeadId, bool OptedOut, DateTimeOffset? OptedOutAt, ConsentEventSource? OptOutSource, string? LiftableBy,
    DateTimeOffset? ConfirmationRequestedAt, DateTimeOffset? ConfirmedAt, List<ConsentEventResponse> Events);

/// <summary><c>GET /consent/{phone}</c>: also for a number no lead has (any more).</summary>
internal static class GetPhoneConsent
{
    public static async Task<Results<Ok<PhoneConsentResponse>, ValidationProblem>> HandleAsync(
        string phone, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var e164 = ConsentPhone.Read(errors, "phone", phone);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var consent = await db.Set<PhoneConsent>().AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId && c.Phone == e164, cancellationToken);
        var leadId = await db.Leads.Where(l => l.ClientId == clientId && l.Phone == e164).Select(l => (Guid?)l.Id).SingleOrDefaultAsync(cancellationToken);
        var events = await ConsentEventResponse.OfPhoneAsync(db, clientId, e164!, cancellationToken);
        var source = consent?.OptOutSource;
        return TypedResults.Ok(new PhoneConsentResponse(
            e164!, leadId, consent?.OptedOutAt is not null, consent?.OptedOutAt, source,
            source is null ? null : SuppressionResponse.WhoMayLift(source.Value),
            consent?.ConfirmationRequestedAt, consent?.ConfirmedAt, events));
    }
}
