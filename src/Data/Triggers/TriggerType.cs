namespace SmsRemarketing.Data.Triggers;

/// <summary>Stored as <c>new_lead</c>, <c>lead_age</c> and <c>webhook</c>.</summary>
public enum TriggerType
{
    NewLead,
    LeadAge,
    Webhook,
}
