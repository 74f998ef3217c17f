using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary>A trigger's <c>days</c>, as created and as changed: only lead_age triggers take them.</summary>
internal static class TriggerDays
{
    public static void Validate(ValidationErrors errors, TriggerType? type, int? days)
    {
        if (type == TriggerType.LeadAge && days is not >= 1)
        {
            errors.Add("days", "A lead_age trigger needs days >= 1.");
        }
        else if (type is TriggerType.NewLead or TriggerType.Webhook && days is not null)
        {
            errors.Add("days", "Only lead_age triggers take days.");
        }

        if (days > 3650)
        {
            errors.Add("days", "At most 3650.");
        }
    }
}
