namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// Twilio's default keywords. Only a message that is the keyword and nothing else counts ("STOP PLEASE" does not),
/// compared without regard to case or white space ("Stop", " STOP\n" and "S TOP" all opt out: erring towards
/// honouring an opt-out is the safe side).
/// </summary>
internal static class InboundKeyword
{
    public const string OptOut = "opt_out";
    public const string OptIn = "opt_in";
    public const string Help = "help";

    private static readonly Dictionary<string, string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["STOP"] = OptOut, ["STOPALL"] = OptOut, ["UNSUBSCRIBE"] = OptOut, ["CANCEL"] = OptOut,
        ["END"] = OptOut, ["QUIT"] = OptOut, ["REVOKE"] = OptOut, ["OPTOUT"] = OptOut,
        ["START"] = OptIn, ["YES"] = OptIn, ["UNSTOP"] = OptIn,
        ["HELP"] = Help, ["INFO"] = Help,
    };

    /// <summary><see cref="OptOut"/>, <see cref="OptIn"/>, <see cref="Help"/>, or null for any other text.</summary>
    public static string? Classify(string? body) =>
        body is not null && body.Length <= 64 && Keywords.TryGetValue(string.Concat(body.Where(c => !char.IsWhiteSpace(c))), out var keyword)
            ? keyword
            : null;
}
