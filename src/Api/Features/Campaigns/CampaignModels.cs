using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>
/// A campaign as written: its audience (<see cref="SegmentId"/> or up to 10,000 <see cref="LeadIds"/>, less
/// <see cref="ExcludeSegmentIds"/>), its content (<see cref="TemplateId"/> with <see cref="Variables"/>, or
/// <see cref="Body"/>), its <see cref="Category"/> (default: the template's, else marketing), when
/// (<see cref="SendAt"/>: an instant, or <c>{local_time, send_date, if_passed}</c> for each recipient's own zone; none:
/// when scheduled), and <see cref="ThrottlePerMinute"/>. On PATCH, a field given replaces the campaign's (and the other
/// side of its pair: a body replaces the template, lead_ids the segment).
/// </summary>
internal sealed record CampaignRequest(
    string? Name,
    Guid? SegmentId,
    List<Guid>? LeadIds,
    List<Guid>? ExcludeSegmentIds,
    Guid? TemplateId,
    string? Body,
    Dictionary<string, string?>? Variables,
    string? Category,
    CampaignSendAt? SendAt,
    int? ThrottlePerMinute);

internal sealed record CampaignProgressResponse(
    int Recipients, int Scheduled, int Queued, int Sent, int Delivered, int Undelivered, int Failed, int Suppressed, int Skipped, int Canceled);

internal sealed record CampaignCreditsResponse(long Reserved, long Spent, long Released, long Held, long Refunded);

internal sealed record CampaignResponse(
    Guid Id,
    string Name,
    string Status,
    Guid? SegmentId,
    IReadOnlyList<Guid>? LeadIds,
    IReadOnlyList<Guid> ExcludeSegmentIds,
    Guid? TemplateId,
    string? Body,
    IReadOnlyDictionary<string, string?>? Variables,
    string Category,
    CampaignSendAt? SendAt,
    int? ThrottlePerMinute,
    CampaignProgressResponse? Progress,
    CampaignCreditsResponse? Credits,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ScheduledAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CanceledAt)
{
    public static CampaignResponse From(Campaign campaign, CampaignProgressResponse? progress = null, CampaignAccount? account = null) => new(
        campaign.Id, campaign.Name, SnakeCaseEnumConverter.ToSnakeCase(campaign.Status), campaign.SegmentId, campaign.LeadIds, campaign.ExcludeSegmentIds,
        campaign.TemplateId, campaign.Body, campaign.Variables, MessageCategories.Name(campaign.Category), CampaignSendAt.Of(campaign),
        campaign.ThrottlePerMinute, progress,
        account is null ? null : new CampaignCreditsResponse(account.Reserved, account.Spent, account.Released, account.Held, account.Refunded),
        campaign.CreatedAt, campaign.UpdatedAt, campaign.ScheduledAt, campaign.StartedAt, campaign.CompletedAt, campaign.CanceledAt);
}

internal sealed record CampaignEstimateResponse(
    int Recipients, IReadOnlyDictionary<string, int> Excluded, long Segments, long Credits, CampaignEncodingsResponse Encodings, long Available)
{
    public static CampaignEstimateResponse From(CampaignTally tally, long available) =>
        new(tally.Recipients, tally.Excluded, tally.Segments, tally.Credits, new CampaignEncodingsResponse(tally.Gsm7, tally.Ucs2), available);
}

internal sealed record CampaignEncodingsResponse(int Gsm7, int Ucs2);

internal sealed record CampaignRecipientResponse(
    Guid LeadId, string Phone, string? Excluded, string? ExclusionDetail, Guid? MessageId, string? Status, string? TwilioSid, string? ErrorMessage,
    DateTimeOffset? SendAfter, DateTimeOffset? SentAt, DateTimeOffset? DeliveredAt);
