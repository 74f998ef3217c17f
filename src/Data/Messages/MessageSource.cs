namespace SmsRemarketing.Data.Messages;

/// <summary>What caused a message: a manual send through the Api or one of the trigger types.</summary>
public enum MessageSource
{
    Manual,
    NewLead,
    LeadAge,
    Webhook,
}
