using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>A client's leads. Phones are stored in E.164 and unique per client; creating a lead publishes LeadCreated.</summary>
internal static class LeadsApi
{
    public static RouteGroupBuilder MapLeads(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/leads").WithTags("Leads").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateAsync)
            .WithSummary("Create a lead. A phone the client already has is 409, or with ?upsert=true updates that lead (200).");
        group.MapGet("/", ListAsync).WithSummary("List leads, newest first, with filters and a cursor.");
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPatch("/{id:guid}", UpdateAsync);
        group.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Delete a lead and its messages.");
        return group;
    }

    private static async Task<Results<Created<LeadResponse>, Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateLeadRequest request, bool? upsert, ClaimsPrincipal user, SmsDbContext db, IOptions<ApiOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var phone = LeadWrites.Validate(errors, request.Phone, request.Region, request.FirstName, request.LastName, request.Email,
            request.CustomFields, request.Timezone, request.Locale, options.Value.MaxCustomFieldsBytes, phoneRequired: true);
        LeadConsent.Validate(errors, request.ConsentSource, request.ConsentAt, request.ConsentText);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (upsert == true && await db.Leads.SingleOrDefaultAsync(l => l.ClientId == clientId && l.Phone == phone, cancellationToken) is { } existing)
        {
            Apply(existing, new UpdateLeadRequest(null, null, request.FirstName, request.LastName, request.Email,
                request.CustomFields, request.Timezone, request.Locale, request.ConsentSource, request.ConsentAt, request.ConsentText),
                null, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(LeadResponse.From(existing));
        }

        var lead = LeadWrites.Add(db, clientId, phone!, request.FirstName, request.LastName, request.Email,
            request.CustomFields, request.Timezone, request.Locale, time.GetUtcNow());
        LeadConsent.Apply(lead, request.ConsentSource, request.ConsentAt, request.ConsentText);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(LeadWrites.PhoneIndex))
        {
            return await DuplicatePhoneAsync(db, clientId, phone!, cancellationToken);
        }

        return TypedResults.Created($"/leads/{lead.Id}", LeadResponse.From(lead));
    }

    private static async Task<Results<Ok<Page<LeadResponse>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, SmsDbContext db, string? phone, string? email, [FromQuery(Name = "opted_out")] bool? optedOut,
        [FromQuery(Name = "created_from")] DateTimeOffset? createdFrom, [FromQuery(Name = "created_to")] DateTimeOffset? createdTo,
        int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Page<LeadResponse>.IsValidLimit(limit))
        {
            errors.Add("limit", $"Between 1 and {Page<LeadResponse>.MaxLimit}.");
        }

        if (!Cursor.TryDecode(cursor, out var after))
        {
            errors.Add("cursor", "Not a cursor from a previous page.");
        }

        // A NUL in a filter is refused here: PostgreSQL cannot take it even as a parameter, which would be a 500.
        errors.Text("email", email, 320);
        string? e164 = null;
        if (phone is not null)
        {
            var normalized = PhoneNumberNormalizer.Normalize(phone);
            if (normalized.IsValid)
            {
                e164 = normalized.E164;
            }
            else
            {
                errors.Add("phone", normalized.Error!);
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Leads.AsNoTracking().Where(l => l.ClientId == clientId);
        if (e164 is not null)
        {
            query = query.Where(l => l.Phone == e164);
        }

        if (!string.IsNullOrWhiteSpace(email))
        {
            query = query.Where(l => l.Email == email.Trim());
        }

        if (optedOut is { } opted)
        {
            query = opted ? query.Where(l => l.OptedOutAt != null) : query.Where(l => l.OptedOutAt == null);
        }

        if (createdFrom is { } from)
        {
            query = query.Where(l => l.CreatedAt >= from.ToUniversalTime());
        }

        if (createdTo is { } to)
        {
            query = query.Where(l => l.CreatedAt < to.ToUniversalTime());
        }

        if (after is { } position)
        {
            query = query.Where(l => l.CreatedAt < position.CreatedAt || (l.CreatedAt == position.CreatedAt && l.Id.CompareTo(position.Id) < 0));
        }

        var take = limit ?? Page<LeadResponse>.DefaultLimit;
        var rows = await query.OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id)
            .Take(take + 1).Select(LeadResponse.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(Page<LeadResponse>.Of(rows, take, r => new Cursor(r.CreatedAt, r.Id)));
    }

    private static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Leads.AsNoTracking().Where(l => l.Id == id && l.ClientId == clientId)
                .Select(LeadResponse.Projection).SingleOrDefaultAsync(cancellationToken) is { } lead
            ? TypedResults.Ok(lead)
            : ApiProblems.NotFound("lead");
    }

    private static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateLeadRequest request, ClaimsPrincipal user, SmsDbContext db, IOptions<ApiOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var phone = LeadWrites.Validate(errors, request.Phone, request.Region, request.FirstName, request.LastName, request.Email,
            request.CustomFields, request.Timezone, request.Locale, options.Value.MaxCustomFieldsBytes, phoneRequired: false);
        LeadConsent.Validate(errors, request.ConsentSource, request.ConsentAt, request.ConsentText);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var lead = await db.Leads.SingleOrDefaultAsync(l => l.Id == id && l.ClientId == clientId, cancellationToken);
        if (lead is null)
        {
            return ApiProblems.NotFound("lead");
        }

        Apply(lead, request, phone, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(LeadWrites.PhoneIndex))
        {
            return await DuplicatePhoneAsync(db, clientId, phone!, cancellationToken);
        }

        return TypedResults.Ok(LeadResponse.From(lead));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var deleted = await db.Leads.Where(l => l.Id == id && l.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? ApiProblems.NotFound("lead") : TypedResults.NoContent();
    }

    private static void Apply(Lead lead, UpdateLeadRequest request, string? phone, DateTimeOffset now)
    {
        lead.Phone = phone ?? lead.Phone;
        lead.FirstName = request.FirstName is null ? lead.FirstName : FieldRules.Clean(request.FirstName);
        lead.LastName = request.LastName is null ? lead.LastName : FieldRules.Clean(request.LastName);
        lead.Email = request.Email is null ? lead.Email : FieldRules.Clean(request.Email);
        lead.Timezone = request.Timezone is null ? lead.Timezone : FieldRules.Clean(request.Timezone);
        lead.Locale = request.Locale is null ? lead.Locale : FieldRules.Clean(request.Locale);
        if (request.CustomFields is { ValueKind: System.Text.Json.JsonValueKind.Object } fields)
        {
            lead.CustomFields = fields.Clone();
        }

        LeadConsent.Apply(lead, request.ConsentSource, request.ConsentAt, request.ConsentText);
        lead.UpdatedAt = now;
    }

    private static async Task<ProblemHttpResult> DuplicatePhoneAsync(SmsDbContext db, Guid clientId, string phone, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var existing = await db.Leads.Where(l => l.ClientId == clientId && l.Phone == phone).Select(l => (Guid?)l.Id).SingleOrDefaultAsync(cancellationToken);
        return ApiProblems.Conflict($"A lead with phone {phone} already exists; update it, or create with ?upsert=true.",
            new Dictionary<string, object?> { ["lead_id"] = existing });
    }
}
