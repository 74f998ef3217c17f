using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

internal sealed record CreateTriggerRequest(string? Name, TriggerType? Type, Guid? TemplateId, int? Days, bool? IsActive);

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
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (!await db.Templates.AnyAsync(t => t.Id == request.TemplateId && t.ClientId == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("template");
        }

        var now = time.GetUtcNow();
        var trigger = new Trigger
        {
            ClientId = clientId,
            Name = request.Name!.Trim(),
            Type = request.Type!.Value,
            TemplateId = request.TemplateId!.Value,
            Days = request.Days,
            IsActive = request.IsActive ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Triggers.Add(trigger);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/triggers/{trigger.Id}", TriggerResponse.From(trigger));
    }
}
