using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary>Preview a body that is not saved.</summary>
internal sealed record PreviewBodyRequest(string? Body, Guid? LeadId, Dictionary<string, string?>? Variables);

/// <summary><c>POST /templates/preview</c></summary>
internal static class PreviewBody
{
    public static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        PreviewBodyRequest request, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        TemplateBodies.Validate(errors, request.Body);
        errors.Variables("variables", request.Variables);
        return errors.IsValid
            ? await TemplatePreviews.RenderAsync(db, user.ClientId(), request.Body!, request.LeadId, request.Variables, cancellationToken)
            : errors.ToProblem();
    }
}
