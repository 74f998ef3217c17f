using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>The consent fields of a lead: absent leaves a field as it is, "" clears a text.</summary>
internal static class LeadConsent
{
    public static void Validate(ValidationErrors errors, string? source, DateTimeOffset? at, string? text)
    {
        errors.Text("consent_source", source, 64);
        errors.Text("consent_text", text, 2000);
        if (at is { } when && when.ToUniversalTime() > DateTimeOffset.UtcNow.AddMinutes(5))
        {
            errors.Add("consent_at", "Consent cannot be given in the future.");
        }
    }

    public static void Apply(Lead lead, string? source, DateTimeOffset? at, string? text)
    {
        lead.ConsentSource = source is null ? lead.ConsentSource : FieldText.Clean(source);
        lead.ConsentAt = at is { } when ? when.ToUniversalTime() : lead.ConsentAt;
        lead.ConsentText = text is null ? lead.ConsentText : FieldText.Clean(text);
    }
}
