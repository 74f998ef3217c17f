using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Features.Templates;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary>
/// The type of a trigger is fixed; absent (or null) fields stay as they are. A new template does not change the
/// trigger's category: give <see cref="Category"/> for that.
/// </summary>
internal sealed record UpdateTriggerRequest(string? Name, Guid? TemplateId, int? Days, bool? IsActive, string? Category = null);

/// <summary><c>PATCH /triggers/{id}</c></summary>
internal static class UpdateTrigger
{
    public static async Task<Results<Ok<TriggerResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, UpdateTriggerRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            errors.Text("name", request.Name, 200, required: true);
        }

        var category = errors.Category("category", request.Category);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var trigger = await db.Triggers.SingleOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken);
        if (trigger is null)
        {
            return ApiProblems.NotFound("trigger");
        }

        TriggerDays.Validate(errors, trigger.Type, request.Days ?? trigger.Days);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        if (request.TemplateId is { } templateId && templateId != trigger.TemplateId
            && !await db.Templates.AnyAsync(t => t.Id == templateId && t.ClientId == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("template");
        }

        if (category is { } changed && await TemplateBodies.RefusedCategoryAsync(db, clientId, changed, cancellationToken) is { } refused)
        {
            return refused;
        }

        trigger.Name = request.Name?.Trim() ?? trigger.Name;
        trigger.Category = category ?? trigger.Category;
        trigger.TemplateId = request.TemplateId ?? trigger.TemplateId;
        trigger.Days = request.Days ?? trigger.Days;
        trigger.IsActive = request.IsActive ?? trigger.IsActive;
        trigger.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(TriggerResponse.From(trigger));
    }
}
