using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>Opts <see cref="LeadId"/> out; <see cref="Note"/> is kept with the consent event (e.g. "asked by phone").</summary>
internal sealed record AddSuppressionRequest(Guid? LeadId, string? Note);

/// <summary><c>POST /suppressions</c>: a lead already opted out stays as it is.</summary>
internal static class AddSuppression
{
    public static async Task<Results<Ok<SuppressionResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        AddSuppressionRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.LeadId is null)
        {
            errors.Add("lead_id", "This field is required.");
        }

        errors.Text("note", request.Note, 500);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var leadId = request.LeadId!.Value;
        await Suppression.OptOutAsync(db, clientId, leadId, ConsentEventSource.Api, FieldText.Clean(request.Note), time.GetUtcNow(), cancellationToken);
        var entry = await SuppressionResponse.Project(db, db.Leads.AsNoTracking().Where(l => l.Id == leadId && l.ClientId == clientId && l.OptedOutAt != null))
            .SingleOrDefaultAsync(cancellationToken);
        return entry is null ? ApiProblems.NotFound("lead") : TypedResults.Ok(entry);
    }
}
