using System.Text.Json;
using System.Text.Json.Nodes;

namespace SmsRemarketing.Api.Idempotency;

/// <summary>
/// A request as parsed, written as JSON with every object's keys in ordinal order: a retry that sends the same
/// <c>variables</c> in another order is the same request. Arrays keep their order (it can mean something).
/// </summary>
internal static class CanonicalJson
{
    public static byte[] Serialize(object request, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        var node = JsonSerializer.SerializeToNode(request, request.GetType(), options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
