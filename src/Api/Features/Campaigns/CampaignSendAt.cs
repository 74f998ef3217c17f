using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>
/// A campaign's <c>send_at</c>: an ISO 8601 instant (<see cref="At"/>), or an object
/// <c>{"local_time": "HH:mm", "send_date": "YYYY-MM-DD", "if_passed": "next_day" | "skip"}</c> for a local time in each
/// recipient's zone. Read as text here and checked by <see cref="CampaignRequests"/>, so a bad value is a 400 naming
/// the field, not a body that fails to bind.
/// </summary>
[JsonConverter(typeof(CampaignSendAtConverter))]
internal sealed record CampaignSendAt(string? At, string? LocalTime, string? SendDate, string? IfPassed)
{
    public static CampaignSendAt? Of(Campaign campaign) => campaign switch
    {
        { SendAt: { } at } => new(at.ToString("O", CultureInfo.InvariantCulture), null, null, null),
        { LocalTime: { } time, SendDate: { } date } => new(null, time.ToString("HH\\:mm", CultureInfo.InvariantCulture),
            date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), SnakeCaseEnumConverter.ToSnakeCase(campaign.WhenLocalTimePassed)),
        _ => null,
    };
}

internal sealed class CampaignSendAtConverter : JsonConverter<CampaignSendAt>
{
    public override CampaignSendAt? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var element = document.RootElement;
        return element.ValueKind switch
        {
            JsonValueKind.String => new CampaignSendAt(element.GetString(), null, null, null),
            JsonValueKind.Object => new CampaignSendAt(null, Text(element, "local_time"), Text(element, "send_date"), Text(element, "if_passed")),
            JsonValueKind.Null => null,
            // Neither form: kept, so the validation names send_at.
            _ => new CampaignSendAt("", null, null, null),
        };
    }

    public override void Write(Utf8JsonWriter writer, CampaignSendAt value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.At is { } at)
        {
            writer.WriteStringValue(at);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("local_time", value.LocalTime);
        writer.WriteString("send_date", value.SendDate);
        writer.WriteString("if_passed", value.IfPassed);
        writer.WriteEndObject();
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;
}
