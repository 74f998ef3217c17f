using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>Twilio's link shortening, roughly: each http(s) link becomes a short link on Twilio's domain.</summary>
internal static partial class ShortLinks
{
    public static string Shorten(string body) => Link().Replace(body, match =>
        "https://twil.io/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(match.Value)))[..8]);

    [GeneratedRegex(@"https?://\S+", RegexOptions.CultureInvariant)]
    private static partial Regex Link();
}
