using System.Globalization;
using System.Net.Mail;

namespace SmsRemarketing.Api.Hosting;

/// <summary>Checks of field formats several features share.</summary>
internal static class FieldRules
{
    public static void TimeZone(this ValidationErrors errors, string field, string? value)
    {
        errors.Text(field, value, 64);
        if (!string.IsNullOrWhiteSpace(value) && !TimeZoneInfo.TryFindSystemTimeZoneById(value, out _))
        {
            errors.Add(field, $"'{value}' is not a known IANA time zone (e.g. America/New_York).");
        }
    }

    public static void Email(this ValidationErrors errors, string field, string? value, bool required = false)
    {
        errors.Text(field, value, 320, required);
        if (!string.IsNullOrWhiteSpace(value) && (!MailAddress.TryCreate(value, out var address) || address.Address != value.Trim()))
        {
            errors.Add(field, "Not an email address.");
        }
    }

    public static void Locale(this ValidationErrors errors, string field, string? value)
    {
        errors.Text(field, value, 35);
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        try
        {
            _ = CultureInfo.GetCultureInfo(value, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            errors.Add(field, $"'{value}' is not a known BCP 47 locale (e.g. en-US).");
        }
    }

    /// <summary>An optional text as stored: trimmed, and null when blank (a PATCH clears a field with "").</summary>
    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
