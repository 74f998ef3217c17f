using System.Linq.Expressions;
using System.Text.Json;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>
/// <see cref="Region"/> (ISO 3166-1 alpha-2) lets <see cref="Phone"/> be written in national format. The consent
/// fields record how the lead agreed to be texted: a source (e.g. <c>web_form</c>), when, and the wording or a reference.
/// </summary>
internal sealed record CreateLeadRequest(
    string? Phone, string? Region, string? FirstName, string? LastName, string? Email,
    JsonElement? CustomFields, string? Timezone, string? Locale,
    string? ConsentSource = null, DateTimeOffset? ConsentAt = null, string? ConsentText = null);

/// <summary>Absent (or null) fields stay as they are; "" clears an optional text; custom_fields replaces the object.</summary>
internal sealed record UpdateLeadRequest(
    string? Phone, string? Region, string? FirstName, string? LastName, string? Email,
    JsonElement? CustomFields, string? Timezone, string? Locale,
    string? ConsentSource = null, DateTimeOffset? ConsentAt = null, string? ConsentText = null);

internal sealed record LeadResponse(
    Guid Id, string Phone, string? FirstName, string? LastName, string? Email, JsonElement CustomFields,
    string? Timezone, string? Locale, bool OptedOut, DateTimeOffset? OptedOutAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? ConsentSource, DateTimeOffset? ConsentAt, string? ConsentText)
{
    public static readonly Expression<Func<Lead, LeadResponse>> Projection = l => new LeadResponse(
        l.Id, l.Phone, l.FirstName, l.LastName, l.Email, l.CustomFields, l.Timezone, l.Locale,
        l.OptedOutAt != null, l.OptedOutAt, l.CreatedAt, l.UpdatedAt, l.ConsentSource, l.ConsentAt, l.ConsentText);

    private static readonly Func<Lead, LeadResponse> Compiled = Projection.Compile();

    public static LeadResponse From(Lead lead) => Compiled(lead);
}
