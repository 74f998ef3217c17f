using System.Text.RegularExpressions;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary>A client's own sender, as created and as changed: a from number (E.164) and/or a Messaging Service SID.</summary>
internal static partial class ClientSender
{
    /// <summary>Checks both fields and returns the from number in E.164 (null when blank or invalid).</summary>
    public static string? Validate(ValidationErrors errors, string? fromNumber, string? messagingServiceSid)
    {
        if (!string.IsNullOrWhiteSpace(messagingServiceSid) && !MessagingServiceSid().IsMatch(messagingServiceSid))
        {
            errors.Add("messaging_service_sid", "A Twilio Messaging Service SID: MG and 32 hexadecimal digits.");
        }

        if (string.IsNullOrWhiteSpace(fromNumber))
        {
            return null;
        }

        var phone = PhoneNumberNormalizer.Normalize(fromNumber);
        if (!phone.IsValid)
        {
            errors.Add("from_number", phone.Error!);
        }

        return phone.E164;
    }

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$")]
    private static partial Regex MessagingServiceSid();
}
