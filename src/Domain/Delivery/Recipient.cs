using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>What of a lead decides whether an SMS may reach it now: its consent and the time zone it reads in.</summary>
public sealed record Recipient(string Phone, string? Timezone, DateTimeOffset? OptedOutAt)
{
    public static Recipient Of(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new(lead.Phone, lead.Timezone, lead.OptedOutAt);
    }
}
