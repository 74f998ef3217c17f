using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>The answers of a campaign in the wrong status for what was asked: 409 with its status as <c>campaign_status</c> (a problem's <c>status</c> is its HTTP code).</summary>
internal static class CampaignProblems
{
    public static ProblemHttpResult NotDraft(CampaignStatus status, string what) =>
        InStatus(status, $"Only a draft campaign can be {what}; this one is {SnakeCaseEnumConverter.ToSnakeCase(status)}.");

    public static ProblemHttpResult InStatus(CampaignStatus status, string detail) =>
        ApiProblems.Conflict(detail, new Dictionary<string, object?> { ["campaign_status"] = SnakeCaseEnumConverter.ToSnakeCase(status) });
}
