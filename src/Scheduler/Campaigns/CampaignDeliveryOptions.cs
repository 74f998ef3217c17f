using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Scheduler.Campaigns;

/// <summary>How campaigns are delivered (section <c>Scheduler:Campaigns</c>).</summary>
internal sealed class CampaignDeliveryOptions
{
    public const string SectionName = "Scheduler:Campaigns";

    /// <summary>How often campaigns are looked at: a campaign's message goes out at most this long after it is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages released per transaction.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// The most of one campaign's messages queued (released, not yet claimed) at once. It bounds the line a campaign
    /// puts in the outbox and on its lane: a few seconds of the Dispatcher's pace, so other sends never wait behind it
    /// in the outbox, and a pause takes effect within that.
    /// </summary>
    [Range(1, 100_000)]
    public int LaneBacklog { get; set; } = 2_000;

    /// <summary>Campaigns looked at per round.</summary>
    [Range(1, 10_000)]
    public int CampaignsPerRound { get; set; } = 100;
}
