namespace SmsRemarketing.Data.Campaigns;

/// <summary>Why a lead of a campaign's audience gets no message (stored in snake_case on its <see cref="CampaignRecipient"/>).</summary>
public enum CampaignExclusion
{
    /// <summary>The person opted the number out (a keyword, Twilio's opt-out, their words).</summary>
    OptedOut,

    /// <summary>The client suppressed the number, or it awaits its double opt-in confirmation.</summary>
    Suppressed,

    /// <summary>A destination the client may not text (country, number type, no price).</summary>
    InvalidDestination,

    /// <summary>The template needs a value this lead has not and the campaign gives none (or the body renders too long).</summary>
    MissingVariables,

    /// <summary>The body renders longer than an SMS may be, or in more segments than the client allows.</summary>
    TooLong,

    /// <summary>The recipient's local time of the send date had passed and the campaign skips such recipients.</summary>
    LocalTimePassed,
}
