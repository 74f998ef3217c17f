using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SmsRemarketing.Data.Clients;

/// <summary>
/// <see cref="Client.CustomKeywords"/> as a jsonb object <c>{"opt_out": ["BASTA"], "opt_in": [], "help": []}</c>: a
/// few words read whole with the client when an SMS comes in.
/// </summary>
public static class CustomKeywordsJson
{
    public static readonly ValueConverter<Dictionary<string, List<string>>, string> Converter = new(
        keywords => JsonSerializer.Serialize(keywords, (JsonSerializerOptions?)null),
        json => JsonSerializer.Deserialize<Dictionary<string, List<string>>>(json, (JsonSerializerOptions?)null) ?? new Dictionary<string, List<string>>());

    public static readonly ValueComparer<Dictionary<string, List<string>>> Comparer = new(
        (a, b) => a != null && b != null ? Canonical(a) == Canonical(b) : a == b,
        keywords => Canonical(keywords).GetHashCode(StringComparison.Ordinal),
        keywords => keywords.ToDictionary(k => k.Key, k => k.Value.ToList()));

    private static string Canonical(Dictionary<string, List<string>> keywords) =>
        string.Join(";", keywords.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={string.Join(",", k.Value)}"));
}
