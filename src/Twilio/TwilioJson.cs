using System.Globalization;
using System.Text.Json;

namespace SmsRemarketing.Twilio;

/// <summary>
/// Lenient readers: Twilio sends counts as strings ("num_segments":"1") and ints as numbers, and nulls often.
/// Reading both shapes keeps one odd field from turning an accepted send into an ambiguous one.
/// </summary>
internal static class TwilioJson
{
    public static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            }
            : null;

    public static int? GetInt(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    public static decimal? GetDecimal(JsonElement obj, string name) =>
        decimal.TryParse(GetString(obj, name), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static DateTimeOffset? GetDate(JsonElement obj, string name) =>
        Rfc2822Date.TryParse(GetString(obj, name), out var value) ? value : null;

    public static Uri? GetUri(JsonElement obj, string name) =>
        Uri.TryCreate(GetString(obj, name), UriKind.RelativeOrAbsolute, out var uri) ? uri : null;
}
