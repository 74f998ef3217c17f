namespace SmsRemarketing.Data.Campaigns;

/// <summary>For a campaign sent at a local time: what becomes of a recipient whose local time of that day has already passed when it is scheduled.</summary>
public enum WhenLocalTimePassed
{
    /// <summary>Sent at that local time the next day.</summary>
    NextDay,

    /// <summary>Not sent (the recipient is recorded excluded, <c>local_time_passed</c>).</summary>
    Skip,
}
