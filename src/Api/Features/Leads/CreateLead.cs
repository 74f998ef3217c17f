using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>
/// <see cref="Region"/> (ISO 3166-1 alpha-2) lets <see cref="Phone"/> be written in national format. The consent
/// fields record how the lead agreed to be texted: a source (e.g. <c>web_form</c>), when, and the wording or a reference.
/// </summary>
internal sealed record CreateLeadRequest(
    string? Phone, string? Region, string? FirstName, string? LastName, string? Email,
    JsonElement? CustomFields, string? Timezone, string? Locale,
    string? ConsentSource = null, DateTimeOffset? ConsentAt = null, string? ConsentText = null)
{
    public LeadFields ToLeadFields() => new(FirstName, LastName, Email, CustomFields, Timezone, Locale);
}

/// <summary><c>POST /leads</c>: a phone the client already has is 409, or with <c>?upsert=true</c> an update of that lead.</summary>
internal static class CreateLead
{
    public static async Task<Results<Created<LeadResponse>, Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        CreateLeadRequest request, bool? upsert, ClaimsPrincipal user, SmsDbContext db, IOptions<LeadOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var phone = LeadCreation.Validate(errors, request.Phone, request.Region, request.ToLeadFields(), options.Value.MaxCustomFieldsBytes, phoneRequired: true);
        LeadConsent.Validate(errors, request.ConsentSource, request.ConsentAt, request.ConsentText);
        if (errors.IsUnprocessable)
        {
            return errors.ToUnprocessable();
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var denied = await db.Clients.Where(c => c.Id == clientId).Select(c => c.DeniedNumberTypes).SingleAsync(cancellationToken);
        if (LeadCreation.DeniedDestination(denied, phone) is { } refused)
        {
            return DeniedPhone.Problem(refused);
        }

        if (upsert == true && await db.Leads.SingleOrDefaultAsync(l => l.ClientId == clientId && l.Phone == phone, cancellationToken) is { } existing)
        {
            UpdateLead.Apply(existing, new UpdateLeadRequest(null, null, request.FirstName, request.LastName, request.Email,
                request.CustomFields, request.Timezone, request.Locale, request.ConsentSource, request.ConsentAt, request.ConsentText),
                null, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.Ok(LeadResponse.From(existing));
        }

        var lead = LeadCreation.Add(db, clientId, phone!, request.ToLeadFields(), time.GetUtcNow());
        LeadConsent.Apply(lead, request.ConsentSource, request.ConsentAt, request.ConsentText);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(LeadCreation.PhoneIndex))
        {
            return await DuplicatePhone.ProblemAsync(db, clientId, phone!, cancellationToken);
        }

        return TypedResults.Created($"/leads/{lead.Id}", LeadResponse.From(lead));
    }
}
