using PhoneNumberUtil = global::PhoneNumbers.PhoneNumberUtil;
using NumberParseException = global::PhoneNumbers.NumberParseException;
using PhoneNumberFormat = global::PhoneNumbers.PhoneNumberFormat;

namespace SmsRemarketing.Domain.Leads;

/// <summary>
/// Phone numbers as leads store them: E.164, validated with libphonenumber's metadata (length and prefix of the
/// country's numbering plan), so that "+1 (415) 555-0123" and "+14155550123" are the same lead.
/// </summary>
public static class PhoneNumberNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <param name="input">International format (<c>+</c> and country code), or national with <paramref name="region"/>.</param>
    /// <param name="region">ISO 3166-1 alpha-2 region for a national number, e.g. <c>US</c>.</param>
    public static PhoneNumberResult Normalize(string? input, string? region = null)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return new PhoneNumberResult(null, "A phone number is required.");
        }

        if (input.Length > 64)
        {
            return new PhoneNumberResult(null, "A phone number is at most 64 characters.");
        }

        var trimmed = input.Trim();
        var international = trimmed.StartsWith('+');
        if (!international && string.IsNullOrWhiteSpace(region))
        {
            return new PhoneNumberResult(null,
                $"'{trimmed}' has no country code: use international format (e.g. +14155550123) or give the region (e.g. US).");
        }

        if (region is not null && !Util.GetSupportedRegions().Contains(region.ToUpperInvariant()))
        {
            return new PhoneNumberResult(null, $"'{region}' is not a known region code (ISO 3166-1 alpha-2, e.g. US).");
        }

        try
        {
            var number = Util.Parse(trimmed, international ? null : region!.ToUpperInvariant());
            return Util.IsValidNumber(number)
                ? new PhoneNumberResult(Util.Format(number, PhoneNumberFormat.E164), null)
                : new PhoneNumberResult(null, $"'{trimmed}' is not a valid phone number.");
        }
        catch (NumberParseException)
        {
            return new PhoneNumberResult(null, $"'{trimmed}' is not a phone number.");
        }
    }
}
