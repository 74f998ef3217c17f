using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>A phone number in a path or body of the consent endpoints, read as leads store it (E.164).</summary>
internal static class ConsentPhone
{
    /// <summary>The E.164 form of <paramref name="phone"/>, or null with an error on <paramref name="field"/>.</summary>
    public static string? Read(ValidationErrors errors, string field, string? phone)
    {
        var normalized = PhoneNumberNormalizer.Normalize(phone);
        if (!normalized.IsValid)
        {
            errors.Add(field, normalized.Error!);
        }

        return normalized.E164;
    }
}
