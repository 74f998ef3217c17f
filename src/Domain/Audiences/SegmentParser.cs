using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>
/// Reads a filter tree into nodes, adding an error per bad part keyed by its path in the tree
/// (<c>filter.all[1].op</c>). It never recurses past the depth limit nor reads past the condition limit, so a
/// hostile tree costs no more than a valid one.
/// </summary>
internal sealed partial class SegmentParser(FieldErrors errors, string rootPath)
{
    public const int MaxInValues = 100;
    public const int MaxTextLength = 500;
    public const int MaxDays = 36500;

    private static readonly JsonElement True = JsonDocument.Parse("true").RootElement;

    private int _conditions;
    private bool _failed;
    private bool _tooMany;

    public SegmentNode? Parse(JsonElement json)
    {
        if (json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            Fail(rootPath, "This field is required.");
            return null;
        }

        var root = Node(json, rootPath, 0);
        return _failed ? null : root;
    }

    private SegmentNode? Node(JsonElement json, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return Fail<SegmentNode>(path, "An object: a condition {field, op, value}, or {all: [..]}, {any: [..]} or {not: {..}}.");
        }

        var properties = json.EnumerateObject().ToList();
        if (!properties.Any(p => p.Name is "all" or "any" or "not"))
        {
            return Condition(properties, path);
        }

        if (properties.Count != 1)
        {
            return Fail<SegmentNode>(path, "A combinator is an object with one property: all, any or not.");
        }

        if (depth == SegmentFilter.MaxDepth)
        {
            return Fail<SegmentNode>(path, $"At most {SegmentFilter.MaxDepth} levels of all/any/not.");
        }

        var (name, value) = (properties[0].Name, properties[0].Value);
        var at = $"{path}.{name}";
        if (name == "not")
        {
            return value.ValueKind == JsonValueKind.Object
                ? Node(value, at, depth + 1) is { } negated ? new SegmentNot(negated) : null
                : Fail<SegmentNode>(at, "An object: the condition or combinator to negate.");
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Fail<SegmentNode>(at, "An array of conditions and combinators.");
        }

        if (value.GetArrayLength() == 0)
        {
            return Fail<SegmentNode>(at, "At least one condition or combinator.");
        }

        var children = new List<SegmentNode>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (Node(item, $"{at}[{index.ToString(CultureInfo.InvariantCulture)}]", depth + 1) is { } child)
            {
                children.Add(child);
            }

            index++;
            if (_tooMany)
            {
                break;
            }
        }

        return children.Count == index ? new SegmentGroup(name == "all", children) : null;
    }

    private SegmentCondition? Condition(List<JsonProperty> properties, string path)
    {
        if (_tooMany)
        {
            return null;
        }

        if (++_conditions > SegmentFilter.MaxConditions)
        {
            _tooMany = true;
            return Fail<SegmentCondition>(rootPath, $"At most {SegmentFilter.MaxConditions} conditions in all.");
        }

        var parts = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            if (property.Name is not ("field" or "op" or "value"))
            {
                // The name is not echoed: it is the caller's text, and the path says where.
                Fail(path, "A condition has only field, op and value (a combinator is all, any or not).");
            }
            else if (!parts.TryAdd(property.Name, property.Value))
            {
                Fail($"{path}.{property.Name}", "Given twice.");
            }
        }

        var field = FieldOf(parts, $"{path}.field");
        var op = OperatorOf(parts, field, $"{path}.op");
        if (field is null || op is null)
        {
            return null;
        }

        return ValueOf(field, op.Value, parts.TryGetValue("value", out var value) ? value : null, $"{path}.value") is { } checkedValue
            ? new SegmentCondition(field, op.Value, checkedValue)
            : null;
    }

    private SegmentField? FieldOf(Dictionary<string, JsonElement> parts, string path)
    {
        if (!parts.TryGetValue("field", out var json))
        {
            return Fail<SegmentField>(path, "This field is required.");
        }

        var unknown = $"One of {SegmentField.Names}, where <key> is letters, digits and '_' (not starting with a digit), at most 64 characters.";
        return json.ValueKind == JsonValueKind.String && SegmentField.Find(json.GetString()!) is { } field ? field : Fail<SegmentField>(path, unknown);
    }

    private SegmentOperator? OperatorOf(Dictionary<string, JsonElement> parts, SegmentField? field, string path)
    {
        if (!parts.TryGetValue("op", out var json))
        {
            Fail(path, "This field is required.");
            return null;
        }

        if (json.ValueKind != JsonValueKind.String || SegmentOperators.Find(json.GetString()!) is not { } op)
        {
            Fail(path, $"One of {SegmentOperators.AllNames}.");
            return null;
        }

        if (field is not null && !SegmentOperators.For(field.Kind).Contains(op))
        {
            Fail(path, $"Not an operator for {field.Name}; one of {SegmentOperators.Names(SegmentOperators.For(field.Kind))}.");
            return null;
        }

        return op;
    }

    private JsonElement? ValueOf(SegmentField field, SegmentOperator op, JsonElement? value, string path)
    {
        if (op == SegmentOperator.Exists)
        {
            return value switch
            {
                null or { ValueKind: JsonValueKind.Null } => True,
                { ValueKind: JsonValueKind.True or JsonValueKind.False } flag => flag.Clone(),
                _ => NoValue(path, "true or false (absent means true)."),
            };
        }

        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
        {
            return NoValue(path, "This field is required.");
        }

        var valid = op switch
        {
            SegmentOperator.Eq or SegmentOperator.Ne => Scalar(field, v, path),
            SegmentOperator.In => List(field, v, path),
            SegmentOperator.Contains or SegmentOperator.Prefix => Match(field, op, v, path),
            SegmentOperator.OlderThanDays or SegmentOperator.NewerThanDays =>
                v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var days) && days is >= 0 and <= MaxDays
                || Fails(path, $"A whole number of days from 0 to {MaxDays}."),
            _ => Ordered(field, v, path),
        };
        return valid ? v.Clone() : null;
    }

    /// <summary>A value to be equal to: a lead column holds text; a custom field any JSON scalar, compared as JSON.</summary>
    private bool Scalar(SegmentField field, JsonElement value, string path)
    {
        if (field.Kind == SegmentFieldKind.Custom)
        {
            return value.ValueKind switch
            {
                JsonValueKind.String => Text(value.GetString()!, path),
                JsonValueKind.Number => value.TryGetDecimal(out _) || Fails(path, "A number PostgreSQL can compare (at most 28 significant digits)."),
                JsonValueKind.True or JsonValueKind.False => true,
                _ => Fails(path, "A string, a number, true or false."),
            };
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fails(path, $"A string: {field.Name} is text.");
        }

        return field.Kind == SegmentFieldKind.Phone
            ? E164().IsMatch(value.GetString()!) || Fails(path, "A phone number in E.164, e.g. +14155550123.")
            : Text(value.GetString()!, path);
    }

    private bool List(SegmentField field, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > MaxInValues)
        {
            return Fails(path, $"An array of 1 to {MaxInValues} values.");
        }

        // Every element is checked, but one error is enough for the caller to find the value.
        return value.EnumerateArray().All(item => Scalar(field, item, path));
    }

    private bool Match(SegmentField field, SegmentOperator op, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
        {
            return Fails(path, "A non-empty string.");
        }

        var text = value.GetString()!;
        if (field.Kind == SegmentFieldKind.Phone)
        {
            return op == SegmentOperator.Prefix
                ? PhonePrefix().IsMatch(text) || Fails(path, "'+' and the digits the numbers start with, e.g. +1415.")
                : PhoneDigits().IsMatch(text) || Fails(path, "Digits of the number, e.g. 5550123.");
        }

        return Text(text, path);
    }

    private bool Ordered(SegmentField field, JsonElement value, string path)
    {
        const string iso = "an ISO 8601 date or date-time (2025-03-01, 2025-03-01T09:30:00Z)";
        if (field.Kind == SegmentFieldKind.Custom && value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetDecimal(out _) || Fails(path, "A number PostgreSQL can compare (at most 28 significant digits).");
        }

        return value.ValueKind == JsonValueKind.String && IsoInstant.TryParse(value.GetString()!, out _)
            || Fails(path, field.Kind == SegmentFieldKind.Custom ? $"A number or {iso}." : $"A date: {iso}.");
    }

    /// <summary>Text PostgreSQL can take as a parameter: a NUL would be a 500, not a 400.</summary>
    private bool Text(string text, string path) =>
        text.Length == 0 ? Fails(path, "A non-empty string.")
        : text.Length > MaxTextLength ? Fails(path, $"At most {MaxTextLength} characters.")
        : FieldText.IsStorable(text) || Fails(path, "Contains a NUL character or an unpaired UTF-16 surrogate.");

    private bool Fails(string path, string message)
    {
        Fail(path, message);
        return false;
    }

    private JsonElement? NoValue(string path, string message)
    {
        Fail(path, message);
        return null;
    }

    private T? Fail<T>(string path, string message) where T : class
    {
        Fail(path, message);
        return null;
    }

    private void Fail(string path, string message)
    {
        _failed = true;
        errors.Add(path, message);
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    [GeneratedRegex(@"^\+[0-9]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePrefix();

    [GeneratedRegex(@"^\+?[0-9]{1,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneDigits();
}
