using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SmsRemarketing.Data.Clients;

/// <summary>
/// <see cref="Client.FrequencyCaps"/> as a jsonb array of <c>{"max_messages": 1, "window_hours": 24}</c>: a short
/// list read whole with the client, never queried into, so a column beats a table of rules.
/// </summary>
public static class FrequencyCapsJson
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static readonly ValueConverter<List<FrequencyCapRule>, string> Converter = new(
        rules => JsonSerializer.Serialize(rules, Options),
        json => JsonSerializer.Deserialize<List<FrequencyCapRule>>(json, Options) ?? new List<FrequencyCapRule>());

    /// <summary>The rules of a <c>frequency_caps</c> value read by SQL.</summary>
    public static List<FrequencyCapRule> Parse(string json) =>
        JsonSerializer.Deserialize<List<FrequencyCapRule>>(json, Options) ?? [];

    public static readonly ValueComparer<List<FrequencyCapRule>> Comparer = new(
        (a, b) => a != null && b != null ? a.SequenceEqual(b) : a == b,
        rules => rules.Aggregate(0, (hash, rule) => HashCode.Combine(hash, rule)),
        rules => rules.ToList());
}
