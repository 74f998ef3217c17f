using System.Text.Json;

namespace SmsRemarketing.Twilio;

/// <summary>Twilio's error body: <c>{"code":21211,"message":"…","more_info":"https://www.twilio.com/docs/errors/21211","status":400}</c>.</summary>
public sealed record TwilioApiError(int? Code, string Message, Uri? MoreInfo, int Status)
{
    /// <summary>Reads an error body; null when the body is not Twilio's shape (a proxy's HTML page, say).</summary>
    internal static TwilioApiError? TryParse(string? json, int httpStatus)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var code = TwilioJson.GetInt(root, "code");
            var message = TwilioJson.GetString(root, "message");
            if (code is null && message is null)
            {
                return null;
            }

            var moreInfo = TwilioJson.GetString(root, "more_info");
            return new TwilioApiError(
                code,
                message ?? "",
                Uri.TryCreate(moreInfo, UriKind.Absolute, out var uri) ? uri : null,
                TwilioJson.GetInt(root, "status") ?? httpStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
