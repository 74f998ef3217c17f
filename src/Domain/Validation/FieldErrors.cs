using System.Globalization;
using System.Net.Mail;
using System.Text.Json;

namespace SmsRemarketing.Domain.Validation;

/// <summary>
/// Collects field errors, keyed by the snake_case JSON name, with the checks every writer of a stored text shares: the
/// Api answers them as one 400 validation problem, a consumer of another system's event refuses the event with them.
/// </summary>
public class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unprocessable = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    /// <summary>Every error is of a well-formed value the rules refuse (<see cref="AddUnprocessable"/>): a 422, not a 400.</summary>
    public bool IsUnprocessable => _errors.Count > 0 && _errors.Keys.All(_unprocessable.Contains);

    /// <summary>A well-formed value that the rules refuse in its context (a time zone its phone number is not in).</summary>
    public void AddUnprocessable(string field, string message)
    {
        Add(field, message);
        _unprocessable.Add(field);
    }

    public IReadOnlyDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

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
    /// surrogates), so that hostile input is refused here rather than failing in the database.
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

        if (!FieldText.IsStorable(value))
        {
            Add(field, "Contains a NUL character or an unpaired UTF-16 surrogate.");
        }
    }

    public void TimeZone(string field, string? value)
    {
        Text(field, value, 64);
        if (!string.IsNullOrWhiteSpace(value) && !TimeZoneInfo.TryFindSystemTimeZoneById(value, out _))
        {
            Add(field, $"'{value}' is not a known IANA time zone (e.g. America/New_York).");
        }
    }

    public void Email(string field, string? value, bool required = false)
    {
        Text(field, value, 320, required);
        if (!string.IsNullOrWhiteSpace(value) && (!MailAddress.TryCreate(value, out var address) || address.Address != value.Trim()))
        {
            Add(field, "Not an email address.");
        }
    }

    public void Locale(string field, string? value)
    {
        Text(field, value, 35);
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        try
        {
            _ = CultureInfo.GetCultureInfo(value, predefinedOnly: true);
        }
        catch (CultureNotFoundException)
        {
            Add(field, $"'{value}' is not a known BCP 47 locale (e.g. en-US).");
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
        else if (!FieldText.IsStorable(element))
        {
            Add(field, "Contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored.");
        }
    }
}
