using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Features.Templates;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary><see cref="Category"/>: what its messages are; default: its template's category (kept on the trigger from then on).</summary>
internal sealed record CreateTriggerRequest(string? Name, TriggerType? Type, Guid? TemplateId, int? Days, bool? IsActive, string? Category = null);

/// <summary><c>POST /triggers</c></summary>
internal static class CreateTrigger
{
    public static async Task<Results<Created<TriggerResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        CreateTriggerRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        if (request.Type is null)
        {
            errors.Add("type", "This field is required: new_lead, lead_age or webhook.");
        }

        if (request.TemplateId is null)
        {
            errors.Add("template_id", "This field is required.");
        }

        TriggerDays.Validate(errors, request.Type, request.Days);
        var category = errors.Category("category", request.Category);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var templateCategory = await db.Templates.Where(t => t.Id == request.TemplateId && t.ClientId == clientId)
            .Select(t => (MessageCategory?)t.Category).SingleOrDefaultAsync(cancellationToken);
        if (templateCategory is null)
        {
            return ApiProblems.NotFound("template");
        }

        // The template's category was allowed when it was saved; the operator may have withdrawn it since.
        category ??= templateCategory.Value;
        if (await TemplateBodies.RefusedCategoryAsync(db, clientId, category.Value, cancellationToken) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var trigger = new Trigger
        {
            ClientId = clientId,
            Name = request.Name!.Trim(),
            Type = request.Type!.Value,
            TemplateId = request.TemplateId!.Value,
            Days = request.Days,
            Category = category.Value,
            IsActive = request.IsActive ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Triggers.Add(trigger);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/triggers/{trigger.Id}", TriggerResponse.From(trigger));
    }
}
