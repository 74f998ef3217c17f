using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// The filters of a campaign's segment (null: it names its leads) and of the segments it leaves out, as they are when
/// it is planned; or, when one of them was deleted, which (<see cref="Missing"/>).
/// </summary>
public sealed record CampaignSegments(SegmentFilter? Include, IReadOnlyList<SegmentFilter> Exclude, (string Field, string Detail)? Missing = null)
{
    public static async Task<CampaignSegments> LoadAsync(SmsDbContext db, Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(campaign);
        var ids = campaign.ExcludeSegmentIds.Concat(campaign.SegmentId is { } id ? [id] : []).ToList();
        var filters = ids.Count == 0
            ? []
            : await db.Segments.AsNoTracking().Where(s => s.ClientId == campaign.ClientId && ids.Contains(s.Id))
                .ToDictionaryAsync(s => s.Id, s => SegmentFilter.FromStored(s.Filter), cancellationToken);
        if (campaign.SegmentId is { } segmentId && !filters.ContainsKey(segmentId))
        {
            return new(null, [], ("segment_id", "The campaign's segment was deleted; give it another segment or lead_ids."));
        }

        var excluded = new List<SegmentFilter>();
        foreach (var excludedId in campaign.ExcludeSegmentIds)
        {
            if (!filters.TryGetValue(excludedId, out var filter))
            {
                return new(null, [], ("exclude_segment_ids", $"The excluded segment {excludedId} was deleted; remove it from the campaign."));
            }

            excluded.Add(filter);
        }

        return new(campaign.SegmentId is { } included ? filters[included] : null, excluded);
    }
}
