using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SmsRemarketing.Api.Hosting;

/// <summary>Collects field errors (keyed by the snake_case JSON name) into one 400 validation problem.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>
    /// Checks an optional text: its length, and that PostgreSQL can store it (no NUL characters, no unpaired
    /// surrogates), so that hostile input is refused here rather than failing as a 500 in the database.
    /// </summary>
    public void Text(string field, string? value, int maxLength, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, "This field is required.");
            }

            return;
        }

        if (value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
        }

        if (!IsStorable(value))
        {
            Add(field, "Contains a NUL character or an unpaired UTF-16 surrogate.");
        }
    }

    /// <summary>Per-call template variables: valid names, storable values of at most 500 characters, at most 50 of them.</summary>
    public void Variables(string field, IReadOnlyDictionary<string, string?>? variables)
    {
        if (variables is null)
        {
            return;
        }

        if (variables.Count > 50)
        {
            Add(field, "At most 50 variables.");
        }

        foreach (var (name, value) in variables)
        {
            if (!Domain.Templates.TemplateRenderer.IsValidName(name))
            {
                Add($"{field}.{name}", "Not a valid variable name (letters, digits and '_', not starting with a digit).");
            }
            else
            {
                Text($"{field}.{name}", value, 500);
            }
        }
    }

    public void JsonObject(string field, JsonElement? value, int maxBytes)
    {
        if (value is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            Add(field, $"Must be a JSON object, not {element.ValueKind.ToString().ToLowerInvariant()}.");
            return;
        }

        var size = System.Text.Encoding.UTF8.GetByteCount(element.GetRawText());
        if (size > maxBytes)
        {
            Add(field, $"At most {maxBytes} bytes of JSON (this is {size}).");
        }
        else if (!IsStorable(element))
        {
            Add(field, "Contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored.");
        }
    }

    public ValidationProblem ToProblem() =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), title: "Invalid request");

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

    private static bool IsStorable(JsonElement element)
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
