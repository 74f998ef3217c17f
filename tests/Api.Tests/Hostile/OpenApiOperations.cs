using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>One operation of the Api's OpenAPI document: what the fuzzer and the auth matrix need to call it.</summary>
public sealed record OpenApiOperation(
    string Method, string PathTemplate, IReadOnlyList<OpenApiParameter> Parameters, JsonElement? JsonBody, bool FormBody)
{
    public bool IsWebhook => PathTemplate.StartsWith("/webhooks/", StringComparison.Ordinal);

    public bool IsAdmin => PathTemplate.StartsWith("/clients", StringComparison.Ordinal) || PathTemplate == "/credits/add"
        || PathTemplate.StartsWith("/admin/", StringComparison.Ordinal);

    public bool IsTenant => !IsWebhook && !IsAdmin;

    public IEnumerable<OpenApiParameter> PathParameters => Parameters.Where(p => p.In == "path");

    public IEnumerable<OpenApiParameter> QueryParameters => Parameters.Where(p => p.In == "query");

    public override string ToString() => $"{Method} {PathTemplate}";

    /// <summary>The path with each path parameter replaced by <paramref name="valueOf"/> (escaped).</summary>
    public string Path(Func<OpenApiParameter, string> valueOf) =>
        PathParameters.Aggregate(PathTemplate, (path, p) => path.Replace("{" + p.Name + "}", Uri.EscapeDataString(valueOf(p)), StringComparison.Ordinal));
}

public sealed record OpenApiParameter(string Name, string In, JsonElement Schema);

/// <summary>Reads the operations and resolves <c>$ref</c>s of the document the Api serves at /openapi/v1.json.</summary>
public sealed class OpenApiOperations(JsonElement document)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public JsonElement Document { get; } = document;

    public static async Task<OpenApiOperations> FetchAsync(ApiFixture api)
    {
        using var anonymous = api.Anonymous();
        return new OpenApiOperations(await (await anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync(System.Net.HttpStatusCode.OK));
    }

    public IReadOnlyList<OpenApiOperation> All()
    {
        var operations = new List<OpenApiOperation>();
        foreach (var path in Document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in Methods)
            {
                if (!path.Value.TryGetProperty(method, out var operation))
                {
                    continue;
                }

                var parameters = new List<OpenApiParameter>();
                if (operation.TryGetProperty("parameters", out var list))
                {
                    foreach (var raw in list.EnumerateArray())
                    {
                        var parameter = Resolve(raw);
                        parameters.Add(new OpenApiParameter(
                            parameter.GetProperty("name").GetString()!, parameter.GetProperty("in").GetString()!,
                            parameter.TryGetProperty("schema", out var schema) ? Resolve(schema) : default));
                    }
                }

                JsonElement? json = null;
                var form = false;
                if (operation.TryGetProperty("requestBody", out var body) && Resolve(body).TryGetProperty("content", out var content))
                {
                    foreach (var media in content.EnumerateObject())
                    {
                        if (media.Name.Contains("json", StringComparison.Ordinal) && media.Value.TryGetProperty("schema", out var schema))
                        {
                            json = Resolve(schema);
                        }
                        else if (media.Name.Contains("form", StringComparison.Ordinal))
                        {
                            form = true;
                        }
                    }
                }

                operations.Add(new OpenApiOperation(method.ToUpperInvariant(), path.Name, parameters, json, form));
            }
        }

        return operations;
    }

    /// <summary>Follows <c>$ref</c> (to components) until a schema with content is reached.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < 16 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = Document;
            foreach (var segment in reference.GetString()!.TrimStart('#', '/').Split('/'))
            {
                target = target.GetProperty(segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
            }

            schema = target;
        }

        return schema;
    }

    /// <summary>The schema's types without "null" (OpenAPI 3.1 writes nullable as ["null", "string"]); anyOf/oneOf flattened.</summary>
    public IReadOnlyList<string> TypesOf(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var types = new List<string>();
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                types.AddRange(type.EnumerateArray().Select(t => t.GetString()!));
            }
        }

        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                types.AddRange(options.EnumerateArray().SelectMany(TypesOf));
            }
        }

        if (types.Count == 0 && schema.TryGetProperty("properties", out _))
        {
            types.Add("object");
        }

        return [.. types.Where(t => t != "null").Distinct()];
    }

    public IEnumerable<(string Name, JsonElement Schema)> PropertiesOf(JsonElement schema)
    {
        schema = Resolve(schema);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                yield return (property.Name, Resolve(property.Value));
            }
        }

        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(combinator, out var options))
            {
                foreach (var option in options.EnumerateArray())
                {
                    foreach (var property in PropertiesOf(option))
                    {
                        yield return property;
                    }
                }
            }
        }
    }
}
