using System.Text.Json;

namespace SmsRemarketing.Twilio;

/// <summary>Twilio's Message resource (<c>api.v2010.account.message</c>) with its string counts and RFC 2822 dates parsed.</summary>
public sealed record TwilioMessage
{
    public required string Sid { get; init; }

    public string? AccountSid { get; init; }

    public string? MessagingServiceSid { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Body { get; init; }

    /// <summary>queued, sending, sent, failed, delivered, undelivered, receiving, received, accepted, scheduled, read, partially_delivered, canceled.</summary>
    public required string Status { get; init; }

    public string? Direction { get; init; }

    public int? NumSegments { get; init; }

    public int? NumMedia { get; init; }

    /// <summary>Null until Twilio has priced the message; negative for a charge.</summary>
    public decimal? Price { get; init; }

    public string? PriceUnit { get; init; }

    /// <summary>Delivery error (30003…) once the message failed or was undelivered.</summary>
    public int? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public DateTimeOffset? DateCreated { get; init; }

    public DateTimeOffset? DateSent { get; init; }

    public DateTimeOffset? DateUpdated { get; init; }

    public string? ApiVersion { get; init; }

    /// <summary>The resource's path, e.g. <c>/2010-04-01/Accounts/AC…/Messages/SM….json</c>.</summary>
    public Uri? ResourceUri { get; init; }

    /// <summary>Null when the element has no sid or status: such a body cannot prove that a message exists.</summary>
    internal static TwilioMessage? TryParse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var sid = TwilioJson.GetString(element, "sid");
        var status = TwilioJson.GetString(element, "status");
        if (string.IsNullOrEmpty(sid) || string.IsNullOrEmpty(status))
        {
            return null;
        }

        return new TwilioMessage
        {
            Sid = sid,
            Status = status,
            AccountSid = TwilioJson.GetString(element, "account_sid"),
            MessagingServiceSid = TwilioJson.GetString(element, "messaging_service_sid"),
            From = TwilioJson.GetString(element, "from"),
            To = TwilioJson.GetString(element, "to"),
            Body = TwilioJson.GetString(element, "body"),
            Direction = TwilioJson.GetString(element, "direction"),
            NumSegments = TwilioJson.GetInt(element, "num_segments"),
            NumMedia = TwilioJson.GetInt(element, "num_media"),
            Price = TwilioJson.GetDecimal(element, "price"),
            PriceUnit = TwilioJson.GetString(element, "price_unit"),
            ErrorCode = TwilioJson.GetInt(element, "error_code"),
            ErrorMessage = TwilioJson.GetString(element, "error_message"),
            DateCreated = TwilioJson.GetDate(element, "date_created"),
            DateSent = TwilioJson.GetDate(element, "date_sent"),
            DateUpdated = TwilioJson.GetDate(element, "date_updated"),
            ApiVersion = TwilioJson.GetString(element, "api_version"),
            ResourceUri = TwilioJson.GetUri(element, "uri"),
        };
    }
}
