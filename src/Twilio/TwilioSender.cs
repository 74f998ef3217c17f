namespace SmsRemarketing.Twilio;

/// <summary>Who sends a message: one of Twilio's <c>From</c> or <c>MessagingServiceSid</c>, never neither.</summary>
public sealed record TwilioSender
{
    private TwilioSender(string? from, string? messagingServiceSid)
    {
        From = from;
        MessagingServiceSid = messagingServiceSid;
    }

    public string? From { get; }

    public string? MessagingServiceSid { get; }

    /// <summary>A phone number (E.164), short code, alphanumeric sender ID or channel address owned by the account.</summary>
    public static TwilioSender FromNumber(string from)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(from);
        return new TwilioSender(from, null);
    }

    /// <summary>A Messaging Service (<c>MG</c> + 32 hex); Twilio picks the number from its sender pool.</summary>
    public static TwilioSender FromMessagingService(string messagingServiceSid)
    {
        if (!TwilioSid.IsMessagingServiceSid(messagingServiceSid))
        {
            throw new ArgumentException("A messaging service SID matches ^MG[0-9a-fA-F]{32}$.", nameof(messagingServiceSid));
        }

        return new TwilioSender(null, messagingServiceSid);
    }
}
