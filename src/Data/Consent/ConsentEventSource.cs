using System.Text.Json.Serialization;

namespace SmsRemarketing.Data.Consent;

/// <summary>What recorded a consent event. Stored in snake_case.</summary>
public enum ConsentEventSource
{
    /// <summary>The person texted a keyword (built in, in one of the client's languages, or the client's own).</summary>
    Keyword,

    /// <summary>Twilio refused a send with 21610: the recipient had opted out at Twilio.</summary>
    [JsonStringEnumMemberName(ConsentEventSources.TwilioError21610)]
    TwilioError21610,

    /// <summary>Twilio's Advanced Opt-Out decided (the inbound webhook's <c>OptOutType</c>).</summary>
    TwilioOptOutType,

    /// <summary>The person wrote an opt-out in other words ("please stop texting me"), and the client opts those out.</summary>
    MessageText,

    /// <summary>The client changed it through the Api.</summary>
    Api,

    /// <summary>The service itself (the double opt-in confirmation it queued).</summary>
    Service,
}
