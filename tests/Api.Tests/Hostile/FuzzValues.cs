using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// Values for the fuzzer, as raw JSON text (so that lone surrogates and odd numbers survive as written): seeded
/// random values that fit a schema, boundary values, and values of the wrong JSON type.
/// </summary>
public sealed class FuzzValues(OpenApiOperations document, int seed, IReadOnlyList<Guid> ids)
{
    /// <summary>Edge cases every field gets some of, whatever its type.</summary>
    public static readonly string[] Boundary =
    [
        "\"\"", "\"   \"", Quote(new string('x', 100_000)), "2147483647", "-2147483648", "2147483648", "9223372036854775807",
        "-9223372036854775809", "-1", "0", "1e308", "-1e-320", "1.5", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "null", "true",
        "[]", "{}", "\"\\ud800\"", "\"x\\udc00y\"", "\"\\u0000\"", "\"a\\u0000b\"", Quote("\u202Eevil\u200B\u200D\uFEFF"),
        Quote("😀👩‍👩‍👧"), Quote("\u0645\u0631\u062D\u0628\u0627"), "\"00000000-0000-0000-0000-000000000000\"",
        "\"' OR 1=1; DROP TABLE leads; --\"", "\"{{first_name}}{{\"", "\"\\r\\nX-Injected: 1\"", "\"9999-12-31T23:59:59Z\"",
        "\"0001-01-01T00:00:00Z\"", "\"2026-02-30T25:61:00Z\"", "\"+\"", "\"+999999999999999999999\"", "[null]", "{\"\":null}",
    ];

    /// <summary>Query string values that are wrong in some way (already escaped where needed).</summary>
    public static readonly string[] MalformedQuery =
    [
        "", "-1", "0", "abc", "2147483648", "99999999999999999999", "%FF%FE", "%00", "1e3", "NaN", "%27%20OR%201%3D1--",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "////////////////////////////////", new string('A', 10_000), "%E2%80%AE", "true",
    ];

    private readonly Random _random = new(seed);

    public IReadOnlyList<Guid> Ids { get; } = ids;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public int Next(int max) => _random.Next(max);

    /// <summary>The properties of an object schema, each once.</summary>
    public IReadOnlyList<(string Name, JsonElement Schema)> Properties(JsonElement schema) =>
        [.. document.PropertiesOf(schema).DistinctBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>Values of another JSON type than the schema's.</summary>
    public IReadOnlyList<string> WrongTypes(JsonElement schema)
    {
        var types = document.TypesOf(schema);
        var wrong = new List<string>();
        if (!types.Contains("string"))
        {
            wrong.Add("\"12\"");
        }

        if (!types.Contains("integer") && !types.Contains("number"))
        {
            wrong.Add("12345");
        }

        if (!types.Contains("object"))
        {
            wrong.Add("{\"a\":[1,{\"b\":null}]}");
        }

        if (!types.Contains("array"))
        {
            wrong.Add("[\"x\",1]");
        }

        if (!types.Contains("boolean"))
        {
            wrong.Add("false");
        }

        return wrong;
    }

    /// <summary>A random value that fits <paramref name="schema"/> (more or less: the point is to get past the parser).</summary>
    public string RandomJson(JsonElement schema, string name = "", int depth = 0)
    {
        schema = document.Resolve(schema);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return values[_random.Next(values.GetArrayLength())].GetRawText();
        }

        var types = document.TypesOf(schema);
        var type = types.Count == 0 ? (depth < 2 ? "object" : "string") : types[_random.Next(types.Count)];
        var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return type switch
        {
            "string" when format == "uuid" || name.EndsWith("id", StringComparison.Ordinal) => Quote(Pick(Ids).ToString()),
            "string" when format == "date-time" => Quote(DateTimeOffset.UnixEpoch.AddSeconds(_random.NextInt64(0, 4_000_000_000)).ToString("O", CultureInfo.InvariantCulture)),
            "string" when name.Contains("phone", StringComparison.Ordinal) => Quote($"+1415555{_random.Next(10_000):D4}"),
            "string" => Quote(RandomText()),
            "integer" => _random.Next(4) == 0 ? _random.Next(int.MinValue, int.MaxValue).ToString(CultureInfo.InvariantCulture) : _random.Next(0, 300).ToString(CultureInfo.InvariantCulture),
            "number" => (_random.NextDouble() * 1000).ToString("R", CultureInfo.InvariantCulture),
            "boolean" => _random.Next(2) == 0 ? "true" : "false",
            "array" => depth > 3 ? "[]" : "[" + string.Join(",", Enumerable.Range(0, _random.Next(4)).Select(_ =>
                RandomJson(schema.TryGetProperty("items", out var items) ? items : default, "", depth + 1))) + "]",
            _ => depth > 3 ? "{}" : RandomObject(schema, depth),
        };
    }

    public string RandomObject(JsonElement schema, int depth = 0)
    {
        var properties = document.PropertiesOf(schema).ToList();
        var fields = properties.Count > 0
            ? properties.Where(_ => _random.Next(10) < 8).Select(p => (p.Name, RandomJson(p.Schema, p.Name, depth + 1)))
            : Enumerable.Range(0, _random.Next(4)).Select(i => ($"k{i}", Quote(RandomText())));
        return "{" + string.Join(",", fields.Select(field => $"{Quote(field.Item1)}:{field.Item2}")) + "}";
    }

    /// <summary>A JSON object with <paramref name="property"/> set to <paramref name="rawValue"/> and the others random.</summary>
    public string ObjectWith(JsonElement schema, string property, string rawValue)
    {
        var fields = document.PropertiesOf(schema)
            .Where(p => p.Name != property)
            .Select(p => $"{Quote(p.Name)}:{RandomJson(p.Schema, p.Name, 1)}")
            .Append($"{Quote(property)}:{rawValue}");
        return "{" + string.Join(",", fields) + "}";
    }

    private string RandomText()
    {
        const string alphabet = "abcXYZ019 _-.,:;!?'\"\\/{}|@+#%&*()<>\t\n\u00e9\u00df\u4e2d\u0645\u200b\U0001F600";
        var text = new StringBuilder();
        var length = _random.Next(4) == 0 ? _random.Next(200, 2000) : _random.Next(0, 24);
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
        var pieces = new List<string>();
        while (elements.MoveNext())
        {
            pieces.Add((string)elements.Current);
        }

        for (var i = 0; i < length; i++)
        {
            text.Append(pieces[_random.Next(pieces.Count)]);
        }

        return text.ToString();
    }

    public static string Quote(string text) => JsonSerializer.Serialize(text);
}
