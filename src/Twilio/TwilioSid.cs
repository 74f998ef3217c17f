using System.Text.RegularExpressions;

namespace SmsRemarketing.Twilio;

/// <summary>The SID patterns of Twilio's 2010-04-01 OpenAPI description.</summary>
public static partial class TwilioSid
{
    public static bool IsAccountSid(string? value) => value is not null && AccountSidPattern().IsMatch(value);

    public static bool IsApiKeySid(string? value) => value is not null && ApiKeySidPattern().IsMatch(value);

    public static bool IsMessagingServiceSid(string? value) => value is not null && MessagingServiceSidPattern().IsMatch(value);

    /// <summary>SM or MM: MMS messages get MM, so never assume SM.</summary>
    public static bool IsMessageSid(string? value) => value is not null && MessageSidPattern().IsMatch(value);

    public static bool IsContentSid(string? value) => value is not null && ContentSidPattern().IsMatch(value);

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountSidPattern();

    [GeneratedRegex("^SK[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKeySidPattern();

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex MessagingServiceSidPattern();

    [GeneratedRegex("^(SM|MM)[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex MessageSidPattern();

    [GeneratedRegex("^HX[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ContentSidPattern();
}
