using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Domain.Consent;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// Opts a number out: <see cref="Phone"/>, or the number of <see cref="LeadId"/>. <see cref="Note"/> is kept with the
/// consent event (e.g. "asked by phone").
/// </summary>
internal sealed record AddSuppressionRequest(Guid? LeadId, string? Phone, string? Note);

/// <summary>
/// <c>POST /suppressions</c>: the opt-out holds for the number, whatever lead has it now or later. A number already
/// opted out stays as it is (and keeps the source that decides who may lift it).
/// </summary>
internal static class AddSuppression
{
    public static async Task<Results<Ok<SuppressionResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        AddSuppressionRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        string? phone = null;
        if ((request.LeadId is null) == (request.Phone is null))
        {
            errors.Add(request.LeadId is null ? "lead_id" : "phone", "Give either lead_id or phone.");
        }
        else if (request.Phone is not null)
        {
            phone = ConsentPhone.Read(errors, "phone", request.Phone);
        }

        errors.Text("note", request.Note, 500);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (request.LeadId is { } leadId)
        {
            phone = await db.Leads.Where(l => l.Id == leadId && l.ClientId == clientId).Select(l => l.Phone).SingleOrDefaultAsync(cancellationToken);
            if (phone is null)
            {
                return ApiProblems.NotFound("lead");
            }
        }

        await PhoneConsents.OptOutAsync(db, clientId, phone!, ConsentEventSource.Api, FieldText.Clean(request.Note), time.GetUtcNow(), cancellationToken);
        var entry = await SuppressionResponse.Project(db, db.Set<PhoneConsent>().AsNoTracking()
                .Where(c => c.ClientId == clientId && c.Phone == phone && c.OptedOutAt != null))
            .SingleAsync(cancellationToken);
        return TypedResults.Ok(entry);
    }
}
