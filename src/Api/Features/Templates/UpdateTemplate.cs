using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Templates;

internal sealed record UpdateTemplateRequest(string? Name, string? Body, string? Category = null);

/// <summary><c>PATCH /templates/{id}</c></summary>
internal static class UpdateTemplate
{
    public static async Task<Results<Ok<TemplateResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, UpdateTemplateRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            errors.Text("name", request.Name, 200, required: true);
        }

        if (request.Body is not null)
        {
            TemplateBodies.Validate(errors, request.Body);
        }

        var category = errors.Category("category", request.Category);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (category is { } changed && await TemplateBodies.RefusedCategoryAsync(db, clientId, changed, cancellationToken) is { } refused)
        {
            return refused;
        }

        var template = await db.Templates.SingleOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken);
        if (template is null)
        {
            return ApiProblems.NotFound("template");
        }

        template.Name = request.Name?.Trim() ?? template.Name;
        template.Body = request.Body ?? template.Body;
        template.Category = category ?? template.Category;
        template.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(TemplateBodies.NameIndex))
        {
            return ApiProblems.Conflict($"A template named '{template.Name}' already exists.");
        }

        return TypedResults.Ok(TemplateResponse.From(template));
    }
}
