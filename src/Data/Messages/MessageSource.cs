namespace SmsRemarketing.Data.Messages;

/// <summary>What caused a message: a manual send through the Api or one of the trigger types, or the service's own double opt-in confirmation.</summary>
public enum MessageSource
{
    Manual,
    NewLead,
    LeadAge,
    Webhook,

    /// <summary>The double opt-in confirmation the service sends a new lead (at most once per number).</summary>
    Confirmation,

    /// <summary>One recipient's message of a campaign (<c>Message.CampaignId</c>).</summary>
    Campaign,
}
