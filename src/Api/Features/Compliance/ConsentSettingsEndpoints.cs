using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Domain.Consent;
using SmsRemarketing.Domain.Validation;
using Settings = SmsRemarketing.Data.Clients.ConsentSettings;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// How the client's numbers read inbound SMS and treat new leads. <see cref="KeywordLanguages"/>: languages whose
/// keywords are honoured besides English (always on). <see cref="CustomKeywords"/>: the client's own, by
/// <c>opt_out</c>, <c>opt_in</c>, <c>help</c>. Absent fields are left as they are.
/// </summary>
internal sealed record ConsentSettingsRequest(
    List<string>? KeywordLanguages, Dictionary<string, List<string>>? CustomKeywords, bool? OptOutOnPossibleOptOut,
    bool? DoubleOptIn, string? ConfirmationText);

internal sealed record ConsentSettingsResponse(
    List<string> KeywordLanguages, Dictionary<string, List<string>> CustomKeywords, bool OptOutOnPossibleOptOut,
    bool DoubleOptIn, string? ConfirmationText, string ConfirmationSms)
{
    public static ConsentSettingsResponse Of(Client client) => new(
        client.KeywordLanguages, client.CustomKeywords, client.OptOutOnPossibleOptOut, client.DoubleOptIn, client.ConfirmationText,
        Domain.Consent.DoubleOptIn.ConfirmationText(client));
}

/// <summary><c>GET</c> and <c>PATCH /compliance/consent-settings</c>.</summary>
internal static class ConsentSettingsEndpoints
{
    public const int MaxConfirmationTextLength = 320;

    public static async Task<Results<Ok<ConsentSettingsResponse>, ProblemHttpResult>> GetAsync(
        ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken) is { } client
            ? TypedResults.Ok(ConsentSettingsResponse.Of(client))
            : ApiProblems.NotFound("client");
    }

    public static async Task<Results<Ok<ConsentSettingsResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        ConsentSettingsRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var languages = request.KeywordLanguages is null ? null : ReadLanguages(errors, request.KeywordLanguages);
        var custom = request.CustomKeywords is null ? null : ReadCustomKeywords(errors, request.CustomKeywords);
        errors.Text("confirmation_text", request.ConfirmationText, MaxConfirmationTextLength);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == clientId, cancellationToken);
        if (client is null)
        {
            return ApiProblems.NotFound("client");
        }

        client.KeywordLanguages = languages ?? client.KeywordLanguages;
        client.CustomKeywords = custom ?? client.CustomKeywords;
        client.OptOutOnPossibleOptOut = request.OptOutOnPossibleOptOut ?? client.OptOutOnPossibleOptOut;
        client.DoubleOptIn = request.DoubleOptIn ?? client.DoubleOptIn;
        client.ConfirmationText = request.ConfirmationText is null ? client.ConfirmationText : FieldText.Clean(request.ConfirmationText);
        client.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ConsentSettingsResponse.Of(client));
    }

    private static List<string> ReadLanguages(ValidationErrors errors, List<string> languages)
    {
        var known = string.Join(", ", ConsentKeywords.Languages.Keys.Order(StringComparer.Ordinal));
        for (var i = 0; i < languages.Count; i++)
        {
            if (languages[i] is null || !ConsentKeywords.Languages.ContainsKey(languages[i]))
            {
                errors.Add($"keyword_languages[{i}]", $"Not a keyword language: one of {known}.");
            }
        }

        // English is always honoured (carriers require STOP and HELP); it is not stored.
        return [.. languages.Where(l => l is not null && l != ConsentKeywords.English).Distinct(StringComparer.Ordinal)];
    }

    private static Dictionary<string, List<string>> ReadCustomKeywords(ValidationErrors errors, Dictionary<string, List<string>> keywords)
    {
        var read = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (action, words) in keywords)
        {
            var field = $"custom_keywords.{action}";
            if (!Settings.KeywordActions.Contains(action))
            {
                errors.Add(field, $"Not a keyword action: one of {string.Join(", ", Settings.KeywordActions)}.");
                continue;
            }

            if (words is null || words.Count > Settings.MaxCustomKeywords)
            {
                errors.Add(field, $"A list of at most {Settings.MaxCustomKeywords} keywords.");
                continue;
            }

            var normalized = new List<string>();
            for (var i = 0; i < words.Count; i++)
            {
                var word = words[i] is null ? "" : ConsentKeywords.Normalize(words[i]);
                if (word.Length == 0)
                {
                    errors.Add($"{field}[{i}]", "A keyword needs at least one letter or digit.");
                }
                else if (word.Length > Settings.MaxKeywordLength)
                {
                    errors.Add($"{field}[{i}]", $"At most {Settings.MaxKeywordLength} letters and digits.");
                }
                else if (ConsentKeywords.BuiltInAction(word) is { } builtIn && builtIn != action)
                {
                    errors.Add($"{field}[{i}]", $"\"{word}\" is a built-in {builtIn} keyword; it cannot mean {action}.");
                }
                else
                {
                    normalized.Add(word);
                }
            }

            read[action] = [.. normalized.Distinct(StringComparer.Ordinal)];
        }

        foreach (var (action, words) in read)
        {
            foreach (var (other, otherWords) in read.Where(r => string.CompareOrdinal(r.Key, action) > 0))
            {
                foreach (var clash in words.Intersect(otherWords, StringComparer.Ordinal))
                {
                    errors.Add($"custom_keywords.{other}", $"\"{clash}\" is also a custom {action} keyword.");
                }
            }
        }

        return read;
    }
}
