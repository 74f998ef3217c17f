using System.Text.Json;

namespace SmsRemarketing.Domain.Validation;

/// <summary>Texts as they are stored: trimmed, null when blank, and only what PostgreSQL can hold.</summary>
public static class FieldText
{
    /// <summary>An optional text as stored: trimmed, and null when blank (a PATCH clears a field with "").</summary>
    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>No NUL character and no unpaired UTF-16 surrogate: PostgreSQL refuses both.</summary>
    public static bool IsStorable(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }

    public static bool IsStorable(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(p => IsStorable(p.Name) && IsStorable(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(IsStorable),
                JsonValueKind.String => IsStorable(element.GetString()!),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate ("\ud800") cannot even be read as a string.
            return false;
        }
    }
}
