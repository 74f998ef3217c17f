using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>When a campaign may be set to go: checked when it is written and again when it is scheduled (time passes between).</summary>
public static class CampaignTiming
{
    /// <summary>How far ahead a campaign (or a single send) may be set.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(35);

    /// <summary>
    /// A send_at already past by more than this is refused rather than sent at once (a clock a little behind ours is
    /// not an error; a date in the past is).
    /// </summary>
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    /// <summary>The field at fault and why, or null when the timing is possible.</summary>
    public static (string Field, string Detail)? Problem(Campaign campaign, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (campaign.SendAt is { } at)
        {
            if (at < now - Skew)
            {
                return ("send_at", $"send_at {at:O} is in the past; leave it out to send when scheduled.");
            }

            if (at > now + MaxAhead)
            {
                return ("send_at", $"send_at may be at most {MaxAhead.TotalDays:0} days ahead.");
            }
        }

        if (campaign.LocalTime is null != campaign.SendDate is null)
        {
            return (campaign.LocalTime is null ? "local_time" : "send_date", "local_time and send_date go together.");
        }

        if (campaign.SendDate is { } date)
        {
            // The date is local to each recipient: the earliest zones are a day ahead of UTC, the latest a day behind.
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            if (date < today.AddDays(-1))
            {
                return ("send_date", $"send_date {date:yyyy-MM-dd} has passed everywhere.");
            }

            if (date > DateOnly.FromDateTime((now + MaxAhead).UtcDateTime))
            {
                return ("send_date", $"send_date may be at most {MaxAhead.TotalDays:0} days ahead.");
            }
        }

        return null;
    }
}
