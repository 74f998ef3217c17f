using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary>Preview a saved template against a lead of the client and/or given variables (which win).</summary>
internal sealed record PreviewTemplateRequest(Guid? LeadId, Dictionary<string, string?>? Variables);

/// <summary><c>POST /templates/{id}/preview</c></summary>
internal static class PreviewTemplate
{
    public static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, PreviewTemplateRequest request, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Variables("variables", request.Variables);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var body = await db.Templates.Where(t => t.Id == id && t.ClientId == clientId).Select(t => t.Body).SingleOrDefaultAsync(cancellationToken);
        return body is null
            ? ApiProblems.NotFound("template")
            : await TemplatePreviews.RenderAsync(db, clientId, body, request.LeadId, request.Variables, cancellationToken);
    }
}
