using System.Text.Json;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>How message bodies are written to and read from the outbox table (camelCase, as on the wire).</summary>
internal static class OutboxJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
