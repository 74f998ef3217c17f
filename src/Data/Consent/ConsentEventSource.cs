using System.Text.Json.Serialization;

namespace SmsRemarketing.Data.Consent;

/// <summary>What recorded an opt-out or opt-in. Stored in snake_case.</summary>
public enum ConsentEventSource
{
    /// <summary>The lead texted a STOP- or START-family keyword.</summary>
    Keyword,

    /// <summary>Twilio refused a send with 21610: the recipient had opted out at Twilio.</summary>
    [JsonStringEnumMemberName(ConsentEventSources.TwilioError21610)]
    TwilioError21610,

    /// <summary>The client changed it through the Api.</summary>
    Api,
}
