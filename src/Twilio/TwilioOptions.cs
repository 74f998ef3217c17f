namespace SmsRemarketing.Twilio;

/// <summary>Settings of the Twilio REST client, bound from the "Twilio" configuration section.</summary>
/// <remarks>Secrets (AuthToken, ApiKeySecret) come from environment variables, e.g. <c>Twilio__AuthToken</c>.</remarks>
public sealed class TwilioOptions
{
    public const string SectionName = "Twilio";

    /// <summary>The account (<c>AC</c> + 32 hex) that owns the messages; part of every resource path.</summary>
    public string AccountSid { get; set; } = "";

    /// <summary>Signs status callbacks, and authenticates the REST calls when no API key is given.</summary>
    public string AuthToken { get; set; } = "";

    /// <summary>Optional API key (<c>SK</c> + 32 hex); when set with its secret it is used for HTTP Basic instead of the auth token.</summary>
    public string? ApiKeySid { get; set; }

    public string? ApiKeySecret { get; set; }

    /// <summary>Twilio's API host; point it at the emulator in tests.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    /// <summary>Sent as <c>StatusCallback</c> when a send does not name its own.</summary>
    public Uri? StatusCallbackUrl { get; set; }

    /// <summary>Sender used by the overloads that take no explicit sender (a messaging service wins when both are set).</summary>
    public string? DefaultFrom { get; set; }

    public string? MessagingServiceSid { get; set; }

    /// <summary>Whole-request budget (connect, send, read). When it expires the outcome of a send is ambiguous.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal bool UsesApiKey => !string.IsNullOrEmpty(ApiKeySid) && !string.IsNullOrEmpty(ApiKeySecret);
}
