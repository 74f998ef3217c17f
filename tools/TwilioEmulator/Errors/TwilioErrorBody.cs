using System.Text.Json.Serialization;

namespace SmsRemarketing.TwilioEmulator.Errors;

/// <summary>Twilio's REST error shape.</summary>
internal sealed record TwilioErrorBody(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("more_info")] string MoreInfo,
    [property: JsonPropertyName("status")] int Status);
