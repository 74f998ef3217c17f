using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// What of a recipient decides whether an SMS may reach it now: its number's consent (opted out; double opt-in not yet
/// confirmed) and the time zone it reads in.
/// </summary>
public sealed record Recipient(string Phone, string? Timezone, DateTimeOffset? OptedOutAt, bool AwaitingConfirmation = false)
{
    public static Recipient Of(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new(lead.Phone, lead.Timezone, lead.OptedOutAt, lead.AwaitingConfirmationSince is not null);
    }
}
