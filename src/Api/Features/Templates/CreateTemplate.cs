using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary><see cref="Category"/>: what its sends are (default marketing), one the client may use.</summary>
internal sealed record CreateTemplateRequest(string? Name, string? Body, string? Category = null);

/// <summary><c>POST /templates</c>: the body's syntax is checked now, not at the first send.</summary>
internal static class CreateTemplate
{
    public static async Task<Results<Created<TemplateResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        CreateTemplateRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        TemplateBodies.Validate(errors, request.Body);
        var category = errors.Category("category", request.Category) ?? MessageCategory.Marketing;
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (await TemplateBodies.RefusedCategoryAsync(db, clientId, category, cancellationToken) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var template = new Template
        {
            ClientId = clientId, Name = request.Name!.Trim(), Body = request.Body!, Category = category, CreatedAt = now, UpdatedAt = now,
        };
        db.Templates.Add(template);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(TemplateBodies.NameIndex))
        {
            return ApiProblems.Conflict($"A template named '{template.Name}' already exists.");
        }

        return TypedResults.Created($"/templates/{template.Id}", TemplateResponse.From(template));
    }
}
