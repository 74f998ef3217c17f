using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Domain.Consent;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>The person's renewed consent, all three required: how (e.g. <c>web_form</c>), when, and the wording or a reference.</summary>
internal sealed record RemoveSuppressionRequest(string? ConsentSource, DateTimeOffset? ConsentAt, string? ConsentText, string? Note);

/// <summary>
/// <c>DELETE /suppressions/{leadId}</c> and <c>DELETE /suppressions/by-phone/{phone}</c>: lifts an opt-out the client
/// recorded itself, with proof of the renewed consent, kept on the consent event. An opt-out the person made (a
/// keyword, Twilio's 21610 or Advanced Opt-Out, their own words) is theirs to lift: 409, saying how.
/// </summary>
internal static class RemoveSuppression
{
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ByLeadAsync(
        Guid leadId, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] RemoveSuppressionRequest? request,
        ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var proof = ReadProof(errors, request, time);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var phone = await db.Leads.Where(l => l.Id == leadId && l.ClientId == clientId).Select(l => l.Phone).SingleOrDefaultAsync(cancellationToken);
        return phone is null
            ? ApiProblems.NotFound("lead")
            : await LiftAsync(db, clientId, phone, proof!, request!.Note, time, cancellationToken);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ByPhoneAsync(
        string phone, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] RemoveSuppressionRequest? request,
        ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var e164 = ConsentPhone.Read(errors, "phone", phone);
        var proof = ReadProof(errors, request, time);
        return errors.IsValid
            ? await LiftAsync(db, user.ClientId(), e164!, proof!, request!.Note, time, cancellationToken)
            : errors.ToProblem();
    }

    private static ConsentProof? ReadProof(ValidationErrors errors, RemoveSuppressionRequest? request, TimeProvider time)
    {
        const string Required = "Required to lift an opt-out: the person's renewed consent is the only ground for texting them again.";
        var source = FieldText.Clean(request?.ConsentSource);
        var text = FieldText.Clean(request?.ConsentText);
        if (source is null)
        {
            errors.Add("consent_source", Required);
        }

        if (request?.ConsentAt is null)
        {
            errors.Add("consent_at", Required);
        }
        else if (request.ConsentAt.Value > time.GetUtcNow().AddMinutes(5))
        {
            errors.Add("consent_at", "Consent cannot be given in the future.");
        }

        if (text is null)
        {
            errors.Add("consent_text", Required);
        }

        errors.Text("consent_source", request?.ConsentSource, 64);
        errors.Text("consent_text", request?.ConsentText, 2000);
        errors.Text("note", request?.Note, 500);
        return errors.IsValid ? new ConsentProof(source!, request!.ConsentAt!.Value.ToUniversalTime(), text!) : null;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> LiftAsync(
        SmsDbContext db, Guid clientId, string phone, ConsentProof proof, string? note, TimeProvider time, CancellationToken cancellationToken)
    {
        var lift = await PhoneConsents.LiftOptOutAsync(db, clientId, phone, ConsentEventSource.Api, FieldText.Clean(note), proof,
            time.GetUtcNow(), cancellationToken);
        return lift.Outcome switch
        {
            OptOutLiftOutcome.Lifted => TypedResults.NoContent(),
            OptOutLiftOutcome.NotOptedOut => ApiProblems.Status(StatusCodes.Status404NotFound, "Not found", "This number is not opted out."),
            _ => ApiProblems.Conflict(lift.Refusal, new Dictionary<string, object?>
            {
                ["opt_out_source"] = ConsentEventSources.Name(lift.RecordedBy!.Value),
                ["liftable_by"] = SuppressionResponse.ByThePerson,
            }),
        };
    }
}
