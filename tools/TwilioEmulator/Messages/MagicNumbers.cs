using SmsRemarketing.Twilio;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>Twilio's test-credential numbers (https://www.twilio.com/docs/iam/test-credentials): fixed errors, no message created.</summary>
internal static class MagicNumbers
{
    private static readonly Dictionary<string, (int Code, string Message)> Senders = new(StringComparer.Ordinal)
    {
        ["+15005550001"] = (TwilioErrorCodes.InvalidFrom, "The 'From' number +15005550001 is not a valid phone number, shortcode, or alphanumeric sender ID."),
        ["+15005550007"] = (TwilioErrorCodes.FromNotOwned, "The 'From' phone number provided (+15005550007) is not a valid message-capable Twilio phone number for this destination/account."),
        ["+15005550008"] = (TwilioErrorCodes.SenderQueueFull, "This 'From' number has exceeded the maximum number of queued messages."),
    };

    private static readonly Dictionary<string, (int Code, string Message)> Recipients = new(StringComparer.Ordinal)
    {
        ["+15005550001"] = (TwilioErrorCodes.InvalidTo, "Invalid 'To' Phone Number: +1500555XXXX"),
        ["+15005550002"] = (TwilioErrorCodes.Unroutable, "The 'To' phone number: +15005550002, is not currently reachable using the 'From' phone number via SMS."),
        ["+15005550003"] = (TwilioErrorCodes.RegionNotPermitted, "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: +15005550003."),
        ["+15005550004"] = (TwilioErrorCodes.RecipientOptedOut, "Attempt to send to unsubscribed recipient"),
        ["+15005550009"] = (TwilioErrorCodes.NotSmsCapable, "'To' number is not a valid mobile number"),
    };

    /// <summary>The sender is checked first: its error does not depend on the recipient.</summary>
    public static (int Code, string Message)? Check(string to, string? from) =>
        from is not null && Senders.TryGetValue(from, out var sender) ? sender
        : Recipients.TryGetValue(to, out var recipient) ? recipient
        : null;
}
