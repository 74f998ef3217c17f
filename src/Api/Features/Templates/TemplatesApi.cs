using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary>Message templates: syntax checked when saved, previewed with a lead's values before anything is sent.</summary>
internal static class TemplatesApi
{
    private const string NameIndex = "ix_templates_client_id_name";

    public static RouteGroupBuilder MapTemplates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/templates").WithTags("Templates").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateAsync).WithSummary("Create a template; {{variable}} and {{variable|default}} are checked now.");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPatch("/{id:guid}", UpdateAsync);
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a template that no trigger uses.");
        group.MapPost("/{id:guid}/preview", PreviewAsync).WithSummary("Render a template for a lead and/or variables, with its encoding and segments.");
        group.MapPost("/preview", PreviewBodyAsync).WithSummary("Render an unsaved body.");
        return group;
    }

    private static async Task<Results<Created<TemplateResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateTemplateRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        ValidateBody(errors, request.Body, required: true);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var template = new Template { ClientId = user.ClientId(), Name = request.Name!.Trim(), Body = request.Body!, CreatedAt = now, UpdatedAt = now };
        db.Templates.Add(template);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(NameIndex))
        {
            return ApiProblems.Conflict($"A template named '{template.Name}' already exists.");
        }

        return TypedResults.Created($"/templates/{template.Id}", TemplateResponse.From(template));
    }

    private static async Task<Results<Ok<Page<TemplateResponse>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Page<TemplateResponse>.IsValidLimit(limit))
        {
            errors.Add("limit", $"Between 1 and {Page<TemplateResponse>.MaxLimit}.");
        }

        if (!Cursor.TryDecode(cursor, out var after))
        {
            errors.Add("cursor", "Not a cursor from a previous page.");
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Templates.AsNoTracking().Where(t => t.ClientId == clientId);
        if (after is { } position)
        {
            query = query.Where(t => t.CreatedAt < position.CreatedAt || (t.CreatedAt == position.CreatedAt && t.Id.CompareTo(position.Id) < 0));
        }

        var take = limit ?? Page<TemplateResponse>.DefaultLimit;
        var rows = await query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(take + 1).ToListAsync(cancellationToken);
        return TypedResults.Ok(Page<TemplateResponse>.Of(rows.Select(TemplateResponse.From).ToList(), take, r => new Cursor(r.CreatedAt, r.Id)));
    }

    private static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken) is { } template
            ? TypedResults.Ok(TemplateResponse.From(template))
            : ApiProblems.NotFound("template");
    }

    private static async Task<Results<Ok<TemplateResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateTemplateRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            errors.Text("name", request.Name, 200, required: true);
        }

        if (request.Body is not null)
        {
            ValidateBody(errors, request.Body, required: true);
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var template = await db.Templates.SingleOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken);
        if (template is null)
        {
            return ApiProblems.NotFound("template");
        }

        template.Name = request.Name?.Trim() ?? template.Name;
        template.Body = request.Body ?? template.Body;
        template.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(NameIndex))
        {
            return ApiProblems.Conflict($"A template named '{template.Name}' already exists.");
        }

        return TypedResults.Ok(TemplateResponse.From(template));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        // Deleting a template would cascade to its triggers; an automation silently vanishing is worse than a 409.
        var triggers = await db.Triggers.CountAsync(t => t.TemplateId == id && t.ClientId == clientId, cancellationToken);
        if (triggers > 0)
        {
            return ApiProblems.Conflict(
                $"The template is used by {triggers.ToString(CultureInfo.InvariantCulture)} trigger(s); delete them or bind them to another template first.");
        }

        var deleted = await db.Templates.Where(t => t.Id == id && t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? ApiProblems.NotFound("template") : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> PreviewAsync(
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
        return body is null ? ApiProblems.NotFound("template") : await RenderAsync(db, clientId, body, request.LeadId, request.Variables, cancellationToken);
    }

    private static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> PreviewBodyAsync(
        PreviewBodyRequest request, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        ValidateBody(errors, request.Body, required: true);
        errors.Variables("variables", request.Variables);
        return errors.IsValid
            ? await RenderAsync(db, user.ClientId(), request.Body!, request.LeadId, request.Variables, cancellationToken)
            : errors.ToProblem();
    }

    private static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> RenderAsync(
        SmsDbContext db, Guid clientId, string body, Guid? leadId, Dictionary<string, string?>? variables, CancellationToken cancellationToken)
    {
        Lead? lead = null;
        if (leadId is { } id)
        {
            lead = await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id && l.ClientId == clientId, cancellationToken);
            if (lead is null)
            {
                return ApiProblems.NotFound("lead");
            }
        }

        var rendered = TemplateRenderer.Render(body, TemplateVariables.For(lead, variables));
        if (!rendered.Succeeded)
        {
            return MissingVariables(rendered.MissingVariables);
        }

        var segments = SmsSegments.Analyze(rendered.Text!);
        return TypedResults.Ok(new PreviewResponse(rendered.Text!, segments.Encoding, segments.Segments, segments.Units, rendered.Text!.Length));
    }

    public static ProblemHttpResult MissingVariables(IReadOnlyList<string> missing) =>
        ApiProblems.Unprocessable(
            $"No value and no default for: {string.Join(", ", missing)}. Give them as variables, set them on the lead, or add a default ({{{{name|default}}}}).",
            new Dictionary<string, object?> { ["missing_variables"] = missing });

    private static void ValidateBody(ValidationErrors errors, string? body, bool required)
    {
        errors.Text("body", body, OutgoingMessages.MaxBodyLength, required);
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        foreach (var error in TemplateRenderer.Parse(body).Errors)
        {
            errors.Add("body", error.ToString());
        }
    }
}
