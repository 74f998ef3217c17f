namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// Twilio's message SIDs: two letters (SM, MM, …) and 32 hexadecimal digits, 34 characters, the width of every SID
/// column. Anything else is refused as a bad request before it reaches the database (where it would be a 500).
/// </summary>
internal static class TwilioSids
{
    public const int Length = 34;

    public const string Expected = "MessageSid must be a Twilio message SID: two letters and 32 hexadecimal digits.";

    public static bool IsMessageSid(string sid) =>
        sid.Length == Length && char.IsAsciiLetterUpper(sid[0]) && char.IsAsciiLetterUpper(sid[1]) && sid.AsSpan(2).ContainsAnyExcept(HexDigits) is false;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
