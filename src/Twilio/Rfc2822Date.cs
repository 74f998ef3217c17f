using System.Globalization;

namespace SmsRemarketing.Twilio;

/// <summary>Twilio's date format on the 2010 API: RFC 2822, e.g. <c>Thu, 24 Aug 2023 05:01:45 +0000</c>.</summary>
public static class Rfc2822Date
{
    private static readonly string[] Formats =
    [
        "ddd, dd MMM yyyy HH':'mm':'ss zzz",
        "ddd, d MMM yyyy HH':'mm':'ss zzz",
        "dd MMM yyyy HH':'mm':'ss zzz",
        "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    ];

    public static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("ddd, dd MMM yyyy HH':'mm':'ss '+0000'", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            value = default;
            return false;
        }

        var trimmed = text.Trim();
        return DateTimeOffset.TryParseExact(trimmed, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            || DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
