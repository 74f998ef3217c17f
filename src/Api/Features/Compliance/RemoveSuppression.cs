using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary><c>DELETE /suppressions/{leadId}</c>: opts the lead back in, only with its renewed consent.</summary>
internal static class RemoveSuppression
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid leadId, string? note, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("note", note, 500);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var opted = await Suppression.OptInAsync(db, user.ClientId(), leadId, ConsentEventSource.Api,
            FieldText.Clean(note), time.GetUtcNow(), cancellationToken);
        return opted
            ? TypedResults.NoContent()
            : ApiProblems.Status(StatusCodes.Status404NotFound, "Not found", "No opted-out lead with this id.");
    }
}
