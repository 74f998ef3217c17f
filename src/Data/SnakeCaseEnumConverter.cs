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
}
