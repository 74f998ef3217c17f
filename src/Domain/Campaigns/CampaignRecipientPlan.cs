using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// What a campaign does for one lead of its audience: a message (its rendered body, segments, encoding, cost and
/// when it falls due), or why none (<see cref="Excluded"/>, with <see cref="Detail"/>).
/// </summary>
public sealed record CampaignRecipientPlan(
    Guid LeadId,
    string Phone,
    string? Body,
    int Segments,
    SmsEncoding Encoding,
    int CreditCost,
    DateTimeOffset? SendAfter,
    CampaignExclusion? Excluded,
    string? Detail)
{
    public static CampaignRecipientPlan Exclude(Guid leadId, string phone, CampaignExclusion why, string detail) =>
        new(leadId, phone, null, 0, SmsEncoding.Gsm7, 0, null, why, detail);
}
