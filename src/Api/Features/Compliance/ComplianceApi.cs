using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Domain.Messages;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// A client's suppression list (its opted-out leads), the consent history of a lead, and the HELP reply. Every
/// opt-out and opt-in made here is recorded as a consent event with source <c>api</c>.
/// </summary>
internal static class ComplianceApi
{
    public const int MaxHelpTextLength = 320;

    public static IEndpointRouteBuilder MapCompliance(this IEndpointRouteBuilder routes)
    {
        var suppressions = routes.MapGroup("/suppressions").WithTags("Compliance").RequireAuthorization(ApiAuthentication.TenantPolicy);
        suppressions.MapGet("/", ListAsync).WithSummary("The opted-out leads, most recent opt-out first, with a cursor.");
        suppressions.MapPost("/", AddAsync).WithSummary("Opt a lead out (200; a lead already opted out stays as it is).");
        suppressions.MapDelete("/{leadId:guid}", RemoveAsync)
            .WithSummary("Opt a lead back in: only with the lead's renewed consent. 404 when the lead is not opted out.");

        var compliance = routes.MapGroup("/").WithTags("Compliance").RequireAuthorization(ApiAuthentication.TenantPolicy);
        compliance.MapGet("/leads/{leadId:guid}/consent-events", EventsAsync)
            .WithSummary("Every opt-out and opt-in of a lead, oldest first, with its source (keyword, twilio_error_21610, api).");
        compliance.MapGet("/compliance/help-text", GetHelpTextAsync);
        compliance.MapPut("/compliance/help-text", SetHelpTextAsync).WithSummary("Set the reply to HELP/INFO; null or \"\" restores the default.");
        compliance.MapGet("/compliance/delivery-policy", GetDeliveryPolicyAsync)
            .WithSummary("Quiet hours, frequency caps, max segments and pricing that apply to this client's sends (set by the operator).");
        return routes;
    }

    private static async Task<Results<Ok<Page<SuppressionResponse>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Page<SuppressionResponse>.IsValidLimit(limit))
        {
            errors.Add("limit", $"Between 1 and {Page<SuppressionResponse>.MaxLimit}.");
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
        var query = db.Leads.AsNoTracking().Where(l => l.ClientId == clientId && l.OptedOutAt != null);
        if (after is { } position)
        {
            query = query.Where(l => l.OptedOutAt < position.CreatedAt || (l.OptedOutAt == position.CreatedAt && l.Id.CompareTo(position.Id) < 0));
        }

        var take = limit ?? Page<SuppressionResponse>.DefaultLimit;
        var rows = await Project(db, query.OrderByDescending(l => l.OptedOutAt).ThenByDescending(l => l.Id).Take(take + 1))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(Page<SuppressionResponse>.Of(rows, take, r => new Cursor(r.OptedOutAt, r.LeadId)));
    }

    private static async Task<Results<Ok<SuppressionResponse>, ValidationProblem, ProblemHttpResult>> AddAsync(
        AddSuppressionRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.LeadId is null)
        {
            errors.Add("lead_id", "This field is required.");
        }

        errors.Text("note", request.Note, 500);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var leadId = request.LeadId!.Value;
        await Suppression.OptOutAsync(db, clientId, leadId, ConsentEventSource.Api, FieldRules.Clean(request.Note), time.GetUtcNow(), cancellationToken);
        var entry = await Project(db, db.Leads.AsNoTracking().Where(l => l.Id == leadId && l.ClientId == clientId && l.OptedOutAt != null))
            .SingleOrDefaultAsync(cancellationToken);
        return entry is null ? ApiProblems.NotFound("lead") : TypedResults.Ok(entry);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveAsync(
        Guid leadId, string? note, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("note", note, 500);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var opted = await Suppression.OptInAsync(db, user.ClientId(), leadId, ConsentEventSource.Api,
            FieldRules.Clean(note), time.GetUtcNow(), cancellationToken);
        return opted
            ? TypedResults.NoContent()
            : ApiProblems.Status(StatusCodes.Status404NotFound, "Not found", "No opted-out lead with this id.");
    }

    private static async Task<Results<Ok<List<ConsentEventResponse>>, ProblemHttpResult>> EventsAsync(
        Guid leadId, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        if (!await db.Leads.AnyAsync(l => l.Id == leadId && l.ClientId == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("lead");
        }

        var events = await db.Set<ConsentEvent>().AsNoTracking()
            .Where(e => e.LeadId == leadId && e.ClientId == clientId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new ConsentEventResponse(e.Id, e.LeadId, e.Kind, e.Source, e.Detail, e.OccurredAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(events);
    }

    private static async Task<Results<Ok<HelpTextResponse>, ProblemHttpResult>> GetHelpTextAsync(
        ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == clientId)
            .Select(c => new { c.Name, c.HelpText }).SingleOrDefaultAsync(cancellationToken);
        return client is null
            ? ApiProblems.NotFound("client")
            : TypedResults.Ok(new HelpTextResponse(client.HelpText, client.HelpText ?? Client.DefaultHelpText(client.Name)));
    }

    /// <summary>
    /// Read-only for the tenant: quiet hours and caps keep every sender of the service within telemarketing rules and
    /// carrier filtering, and pricing is billing, so only the operator (admin key) changes them.
    /// </summary>
    private static async Task<Results<Ok<DeliveryPolicyResponse>, ProblemHttpResult>> GetDeliveryPolicyAsync(
        ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(DeliveryPolicyResponse.Projection)
                .SingleOrDefaultAsync(cancellationToken) is { } policy
            ? TypedResults.Ok(policy)
            : ApiProblems.NotFound("client");
    }

    private static async Task<Results<Ok<HelpTextResponse>, ValidationProblem, ProblemHttpResult>> SetHelpTextAsync(
        HelpTextRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("help_text", request.HelpText, MaxHelpTextLength);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var helpText = FieldRules.Clean(request.HelpText);
        var now = time.GetUtcNow();
        var updated = await db.Clients.Where(c => c.Id == clientId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.HelpText, helpText).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        if (updated == 0)
        {
            return ApiProblems.NotFound("client");
        }

        var name = await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.Name).SingleAsync(cancellationToken);
        return TypedResults.Ok(new HelpTextResponse(helpText, helpText ?? Client.DefaultHelpText(name)));
    }

    /// <summary>The list's rows, each with the source of the lead's latest opt-out.</summary>
    private static IQueryable<SuppressionResponse> Project(SmsDbContext db, IQueryable<Data.Leads.Lead> leads) =>
        leads.Select(l => new
            {
                Lead = l,
                Latest = db.Set<ConsentEvent>()
                    .Where(e => e.LeadId == l.Id && e.Kind == ConsentEventKind.OptOut)
                    .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
                    .FirstOrDefault(),
            })
            .Select(x => new SuppressionResponse(x.Lead.Id, x.Lead.Phone, x.Lead.OptedOutAt!.Value,
                x.Latest == null ? null : x.Latest.Source, x.Latest == null ? null : x.Latest.Detail));
}
