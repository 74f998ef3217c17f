using System.Globalization;
using System.Text;
using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Domain.Consent;

/// <summary>
/// The keywords an inbound SMS is read for: the opt-out, opt-in and help families of English (always honoured) and of
/// the client's other languages, and the client's own. Only a message that is a keyword and nothing else counts
/// ("STOP PLEASE" does not), compared after <see cref="Normalize"/> (case, accents, white space and punctuation
/// ignored: "Stop.", " arrêt " and "S TOP" all opt out: erring towards honouring an opt-out is the safe side). When
/// two readings are possible the opt-out wins.
/// </summary>
public static class ConsentKeywords
{
    public const string English = "en";

    /// <summary>The built-in families by language (ISO 639-1), written as <see cref="Normalize"/> leaves them.</summary>
    public static readonly IReadOnlyDictionary<string, Families> Languages = new Dictionary<string, Families>(StringComparer.Ordinal)
    {
        [English] = new(
            OptOut: ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"],
            OptIn: ["START", "YES", "UNSTOP"],
            Help: ["HELP", "INFO"]),
        ["es"] = new(
            OptOut: ["PARAR", "PARA", "ALTO", "BAJA", "DETENER", "CANCELAR", "DESUSCRIBIR", "FIN"],
            OptIn: ["SI", "COMENZAR", "INICIAR", "REANUDAR"],
            Help: ["AYUDA"]),
        ["fr"] = new(
            OptOut: ["ARRET", "ARRETER", "DESABONNER", "DESINSCRIRE", "ANNULER", "FIN"],
            OptIn: ["OUI", "DEMARRER", "COMMENCER", "REPRENDRE"],
            Help: ["AIDE"]),
    };

    /// <summary>Words and phrases that read as an opt-out inside a longer message (normalised to lower-case words).</summary>
    private static readonly string[] OptOutPhrases =
    [
        "stop", "unsubscribe", "opt out", "optout", "remove me", "take me off", "no more texts", "no more messages",
        "dont text", "do not text", "dont message", "do not message", "dont contact", "do not contact", "leave me alone",
        "wrong number", "quit texting", "quit messaging",
        "parar", "baja", "darme de baja", "no me escriban", "no me envien", "no mas mensajes", "dejen de",
        "arret", "arreter", "desabonner", "desinscrire", "ne plus recevoir", "ne menvoyez plus",
    ];

    /// <summary>Upper case, without accents, white space or punctuation: "Arrêt !" → "ARRET".</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (char.IsLetterOrDigit(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// <see cref="ConsentSettings.OptOut"/>, <see cref="ConsentSettings.OptIn"/>, <see cref="ConsentSettings.Help"/>, or
    /// null when <paramref name="body"/> is no keyword of the client's.
    /// </summary>
    public static string? Classify(string? body, IEnumerable<string> languages, IReadOnlyDictionary<string, List<string>> custom)
    {
        ArgumentNullException.ThrowIfNull(languages);
        ArgumentNullException.ThrowIfNull(custom);
        if (body is null || body.Length > 64)
        {
            return null;
        }

        var word = Normalize(body);
        if (word.Length == 0)
        {
            return null;
        }

        var families = languages.Prepend(English).Distinct(StringComparer.Ordinal)
            .Select(language => Languages.GetValueOrDefault(language)).OfType<Families>().ToList();
        bool Is(string action, Func<Families, IReadOnlyList<string>> family) =>
            families.Any(f => family(f).Contains(word, StringComparer.Ordinal))
            || (custom.TryGetValue(action, out var own) && own.Contains(word, StringComparer.Ordinal));

        return Is(ConsentSettings.OptOut, f => f.OptOut) ? ConsentSettings.OptOut
            : Is(ConsentSettings.OptIn, f => f.OptIn) ? ConsentSettings.OptIn
            : Is(ConsentSettings.Help, f => f.Help) ? ConsentSettings.Help
            : null;
    }

    /// <summary>The built-in family a normalised word belongs to in any language, for refusing a custom keyword that would contradict it.</summary>
    public static string? BuiltInAction(string normalized) =>
        Languages.Values.Any(f => f.OptOut.Contains(normalized, StringComparer.Ordinal)) ? ConsentSettings.OptOut
            : Languages.Values.Any(f => f.OptIn.Contains(normalized, StringComparer.Ordinal)) ? ConsentSettings.OptIn
            : Languages.Values.Any(f => f.Help.Contains(normalized, StringComparer.Ordinal)) ? ConsentSettings.Help
            : null;

    /// <summary>
    /// Whether a message that is not a keyword reads like an opt-out ("please stop texting me", "no me envíen más"):
    /// one of the known phrases, as whole words.
    /// </summary>
    public static bool IsPossibleOptOut(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return false;
        }

        var words = Words(body);
        return OptOutPhrases.Any(phrase => words.Contains($" {phrase} ", StringComparison.Ordinal));
    }

    /// <summary>" please stop texting me " from "Please STOP texting me!!": lower case, no accents or apostrophes, single spaces, padded.</summary>
    private static string Words(string text)
    {
        var builder = new StringBuilder(" ", text.Length + 2);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark || c is '\'' or '’')
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        if (builder[^1] != ' ')
        {
            builder.Append(' ');
        }

        return builder.ToString();
    }

    /// <summary>One language's keywords by what they do.</summary>
    public sealed record Families(IReadOnlyList<string> OptOut, IReadOnlyList<string> OptIn, IReadOnlyList<string> Help);
}
