using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>What scheduling a campaign came to: scheduled (with its tally), or why not.</summary>
public sealed record CampaignScheduleResult(
    CampaignScheduleOutcome Outcome, CampaignTally? Tally = null, CampaignStatus? Status = null, long? Available = null, string? Field = null, string? Detail = null)
{
    public static readonly CampaignScheduleResult NotFound = new(CampaignScheduleOutcome.NotFound);

    public static CampaignScheduleResult Scheduled(CampaignTally tally) => new(CampaignScheduleOutcome.Scheduled, tally);

    public static CampaignScheduleResult NotDraft(CampaignStatus status) => new(CampaignScheduleOutcome.NotDraft, Status: status);

    public static CampaignScheduleResult InsufficientCredits(CampaignTally tally, long available) =>
        new(CampaignScheduleOutcome.InsufficientCredits, tally, Available: available);

    public static CampaignScheduleResult Invalid(string field, string detail) => new(CampaignScheduleOutcome.Invalid, Field: field, Detail: detail);
}

public enum CampaignScheduleOutcome
{
    Scheduled,
    NotFound,
    NotDraft,
    InsufficientCredits,
    Invalid,
}
