using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SmsRemarketing.Data;

/// <summary>Stores an enum as its snake_case name (<c>NewLead</c> → <c>new_lead</c>), as the Api speaks it.</summary>
public static class SnakeCaseEnumConverter
{
    public static ValueConverter<TEnum, string> For<TEnum>() where TEnum : struct, Enum =>
        new(value => ToSnakeCase(value), text => Parse<TEnum>(text));

    public static string ToSnakeCase<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        Enum.Parse<TEnum>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);

    /// <summary>The value named exactly <paramref name="text"/> (snake_case); false for any other text, numbers included.</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (ToSnakeCase(candidate) == text)
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
