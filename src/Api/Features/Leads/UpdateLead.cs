using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Leads;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>Absent (or null) fields stay as they are; "" clears an optional text; custom_fields replaces the object.</summary>
internal sealed record UpdateLeadRequest(
    string? Phone, string? Region, string? FirstName, string? LastName, string? Email,
    JsonElement? CustomFields, string? Timezone, string? Locale,
    string? ConsentSource = null, DateTimeOffset? ConsentAt = null, string? ConsentText = null);

/// <summary><c>PATCH /leads/{id}</c>, and the update of an upsert.</summary>
internal static class UpdateLead
{
    public static async Task<Results<Ok<LeadResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, UpdateLeadRequest request, ClaimsPrincipal user, SmsDbContext db, IOptions<LeadOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var phone = LeadCreation.Validate(errors, request.Phone, request.Region,
            new LeadFields(request.FirstName, request.LastName, request.Email, request.CustomFields, request.Timezone, request.Locale),
            options.Value.MaxCustomFieldsBytes, phoneRequired: false);
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

        // The zone against the number the lead will have: a PATCH of either one must not leave them apart.
        if (request.Phone is not null || request.Timezone is not null)
        {
            LeadCreation.CheckZone(errors, phone ?? lead.Phone, request.Timezone is null ? lead.Timezone : FieldText.Clean(request.Timezone));
            if (!errors.IsValid)
            {
                return errors.ToUnprocessable();
            }
        }

        // A new phone is checked as a new lead's is: a denied number type never enters by an update either.
        if (phone is not null && LeadCreation.DeniedDestination(
            await db.Clients.Where(c => c.Id == clientId).Select(c => c.DeniedNumberTypes).SingleAsync(cancellationToken), phone) is { } refused)
        {
            return DeniedPhone.Problem(refused);
        }

        Apply(lead, request, phone, time.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(LeadCreation.PhoneIndex))
        {
            return await DuplicatePhone.ProblemAsync(db, clientId, phone!, cancellationToken);
        }

        return TypedResults.Ok(LeadResponse.From(lead));
    }

    /// <summary>Applies the fields given (validated), <paramref name="phone"/> in E.164 when it changes.</summary>
    public static void Apply(Lead lead, UpdateLeadRequest request, string? phone, DateTimeOffset now)
    {
        lead.Phone = phone ?? lead.Phone;
        lead.FirstName = request.FirstName is null ? lead.FirstName : FieldText.Clean(request.FirstName);
        lead.LastName = request.LastName is null ? lead.LastName : FieldText.Clean(request.LastName);
        lead.Email = request.Email is null ? lead.Email : FieldText.Clean(request.Email);
        lead.Timezone = request.Timezone is null ? lead.Timezone : FieldText.Clean(request.Timezone);
        lead.Locale = request.Locale is null ? lead.Locale : FieldText.Clean(request.Locale);
        if (request.CustomFields is { ValueKind: JsonValueKind.Object } fields)
        {
            lead.CustomFields = fields.Clone();
        }

        LeadConsent.Apply(lead, request.ConsentSource, request.ConsentAt, request.ConsentText);
        lead.UpdatedAt = now;
    }
}
