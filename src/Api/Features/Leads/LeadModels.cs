using System.Linq.Expressions;
using System.Text.Json;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Api.Features.Leads;

internal sealed record LeadResponse(
    Guid Id, string Phone, string? FirstName, string? LastName, string? Email, JsonElement CustomFields,
    string? Timezone, string? Locale, bool OptedOut, DateTimeOffset? OptedOutAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? ConsentSource, DateTimeOffset? ConsentAt, string? ConsentText, bool AwaitingConfirmation)
{
    public static readonly Expression<Func<Lead, LeadResponse>> Projection = l => new LeadResponse(
        l.Id, l.Phone, l.FirstName, l.LastName, l.Email, l.CustomFields, l.Timezone, l.Locale,
        l.OptedOutAt != null, l.OptedOutAt, l.CreatedAt, l.UpdatedAt, l.ConsentSource, l.ConsentAt, l.ConsentText,
        l.AwaitingConfirmationSince != null);

    private static readonly Func<Lead, LeadResponse> Compiled = Projection.Compile();

    public static LeadResponse From(Lead lead) => Compiled(lead);
}
