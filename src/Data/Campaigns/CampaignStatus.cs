namespace SmsRemarketing.Data.Campaigns;

/// <summary>
/// Where a campaign is. Stored in snake_case. draft → scheduled (audience frozen, credits reserved) → sending (its
/// first message released) → completed (nothing left to send; the unspent reservation released); scheduled or
/// sending ⇄ paused; draft is deleted, any other but completed → canceled (what was not spent released).
/// </summary>
public enum CampaignStatus
{
    Draft,
    Scheduled,
    Sending,
    Paused,
    Completed,
    Canceled,
}
