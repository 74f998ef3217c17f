using System.Globalization;
using System.Text.RegularExpressions;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>
/// Create-time validation, in the order a caller most needs to hear about it. Codes: see TwilioErrorCodes
/// (21604, 21603, 21701 are inferred; the rest are docs/twilio.md or Twilio's error pages).
/// </summary>
internal static partial class CreateMessageRules
{
    public const int MaxBodyLength = 1600;
    public const int MaxMediaUrls = 10;
    public const int MaxStatusCallbackLength = 4000;

    public static (int Code, string Message)? Check(IFormCollection form)
    {
        var to = Single(form, "To");
        var from = Single(form, "From");
        var service = Single(form, "MessagingServiceSid");
        var body = Single(form, "Body");
        var contentSid = Single(form, "ContentSid");
        var mediaUrls = form["MediaUrl"].Where(u => !string.IsNullOrEmpty(u)).ToList();

        if (to is null)
        {
            return (TwilioErrorCodes.ToRequired, "A 'To' phone number is required.");
        }

        if (from is null && service is null)
        {
            return (TwilioErrorCodes.FromRequired, "A 'From' phone number is required.");
        }

        if (body is null && mediaUrls.Count == 0 && contentSid is null)
        {
            return (TwilioErrorCodes.BodyOrMediaRequired, "A text message Body, Media URL or Content SID must be specified.");
        }

        if (!IsRecipient(to))
        {
            return (TwilioErrorCodes.InvalidTo, $"The 'To' number {to} is not a valid phone number.");
        }

        if (from is not null && !IsSender(from))
        {
            return (TwilioErrorCodes.InvalidFrom, $"The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID.");
        }

        if (from is not null && string.Equals(to, from, StringComparison.Ordinal))
        {
            return (TwilioErrorCodes.InvalidTo, "'To' and 'From' number cannot be the same.");
        }

        if (service is not null && !TwilioSid.IsMessagingServiceSid(service))
        {
            return (TwilioErrorCodes.InvalidMessagingServiceSid, $"The Messaging Service Sid {service} is invalid.");
        }

        if (contentSid is not null && !TwilioSid.IsContentSid(contentSid))
        {
            return (TwilioErrorCodes.InvalidContentSid, "Invalid Content SID.");
        }

        // UTF-16 code units, as a JVM counts; Twilio does not say which unit its 1,600 "characters" are.
        if (body is not null && body.Length > MaxBodyLength)
        {
            return (TwilioErrorCodes.BodyTooLong, "The concatenated message body exceeds the 1600 character limit.");
        }

        if (mediaUrls.Count > MaxMediaUrls)
        {
            return (TwilioErrorCodes.TooManyMediaUrls, "Too many media URLs: at most 10 are allowed.");
        }

        if (mediaUrls.Any(u => !IsHttpUrl(u)))
        {
            return (TwilioErrorCodes.InvalidMediaUrl, "Media URL is invalid.");
        }

        if (Single(form, "StatusCallback") is { } callback && !IsCallbackUrl(callback))
        {
            return (TwilioErrorCodes.InvalidStatusCallback, "The StatusCallback URL is not a valid URL.");
        }

        if (Single(form, "ValidityPeriod") is { } validity
            && !(int.TryParse(validity, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 36_000))
        {
            return (TwilioErrorCodes.InvalidValidityPeriod, "Invalid validity period value: it must be an integer from 1 to 36000.");
        }

        return null;
    }

    /// <summary>The first non-empty value, untouched (a body's spaces matter); an empty parameter counts as missing.</summary>
    public static string? Single(IFormCollection form, string key) =>
        form[key].FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static bool IsRecipient(string to) => E164().IsMatch(to) || ChannelAddress().IsMatch(to);

    private static bool IsSender(string from) =>
        E164().IsMatch(from) || ChannelAddress().IsMatch(from) || ShortCode().IsMatch(from) || AlphanumericSenderId().IsMatch(from);

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    // Twilio: a fully qualified http(s) URL, at most 4000 characters, no underscore in the host name.
    private static bool IsCallbackUrl(string value) =>
        value.Length <= MaxStatusCallbackLength
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0
        && !uri.Host.Contains('_', StringComparison.Ordinal);

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    // whatsapp:+1…, messenger:…, rcs:… — Twilio's channel addresses.
    [GeneratedRegex(@"^[a-z]+:\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelAddress();

    [GeneratedRegex("^[0-9]{3,8}$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortCode();

    // Up to 11 letters, digits or spaces, at least one letter.
    [GeneratedRegex("^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$", RegexOptions.CultureInvariant)]
    private static partial Regex AlphanumericSenderId();
}
