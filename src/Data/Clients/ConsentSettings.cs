namespace SmsRemarketing.Data.Clients;

/// <summary>The defaults and limits of a client's consent settings (keyword languages, custom keywords).</summary>
public static class ConsentSettings
{
    /// <summary>English is always honoured; these are the other languages a new client honours.</summary>
    public static readonly IReadOnlyList<string> DefaultKeywordLanguages = ["es", "fr"];

    /// <summary>What a custom keyword does: the keys of <see cref="Client.CustomKeywords"/>.</summary>
    public const string OptOut = "opt_out";
    public const string OptIn = "opt_in";
    public const string Help = "help";

    public static readonly IReadOnlyList<string> KeywordActions = [OptOut, OptIn, Help];

    public const int MaxCustomKeywords = 20;
    public const int MaxKeywordLength = 32;
}
