using System.Text.Json.Serialization;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>Twilio's <c>api.v2010.account.message</c>: counts are strings, dates RFC 2822, nulls written out.</summary>
internal sealed record MessageResource(
    [property: JsonPropertyName("account_sid")] string AccountSid,
    [property: JsonPropertyName("api_version")] string ApiVersion,
    [property: JsonPropertyName("body")] string? Body,
    [property: JsonPropertyName("date_created")] string DateCreated,
    [property: JsonPropertyName("date_sent")] string? DateSent,
    [property: JsonPropertyName("date_updated")] string DateUpdated,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("error_code")] int? ErrorCode,
    [property: JsonPropertyName("error_message")] string? ErrorMessage,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("messaging_service_sid")] string? MessagingServiceSid,
    [property: JsonPropertyName("num_media")] string NumMedia,
    [property: JsonPropertyName("num_segments")] string NumSegments,
    [property: JsonPropertyName("price")] string? Price,
    [property: JsonPropertyName("price_unit")] string PriceUnit,
    [property: JsonPropertyName("sid")] string Sid,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("subresource_uris")] IReadOnlyDictionary<string, string> SubresourceUris,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("uri")] string Uri);
