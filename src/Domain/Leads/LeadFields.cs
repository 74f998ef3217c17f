using System.Text.Json;

namespace SmsRemarketing.Domain.Leads;

/// <summary>A lead's fields besides its phone, as a writer gives them (texts untrimmed, blank for none).</summary>
public sealed record LeadFields(
    string? FirstName, string? LastName, string? Email, JsonElement? CustomFields, string? Timezone, string? Locale)
{
    public static readonly LeadFields None = new(null, null, null, null, null, null);
}
