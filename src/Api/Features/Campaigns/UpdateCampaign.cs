using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary><c>PATCH /campaigns/{id}</c>: only a draft (a scheduled campaign's audience and cost are frozen: 409).</summary>
internal static class UpdateCampaign
{
    public static async Task<Results<Ok<CampaignResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, CampaignRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var campaign = await db.Campaigns.SingleOrDefaultAsync(c => c.Id == id && c.ClientId == clientId, cancellationToken);
        if (campaign is null)
        {
            return ApiProblems.NotFound("campaign");
        }

        if (campaign.Status != CampaignStatus.Draft)
        {
            return CampaignProblems.NotDraft(campaign.Status, "edited");
        }

        var now = time.GetUtcNow();
        var errors = new ValidationErrors();
        CampaignRequests.Apply(errors, request, campaign, now);
        if (errors.IsValid)
        {
            await CampaignRequests.CheckReferencesAsync(errors, db, campaign, cancellationToken);
        }

        if (!errors.IsValid)
        {
            return errors.IsUnprocessable ? errors.ToUnprocessable() : errors.ToProblem();
        }

        if (await CampaignCategory.RefusedAsync(db, campaign, cancellationToken) is { } refused)
        {
            return refused;
        }

        campaign.UpdatedAt = now;
        // Only while still a draft: a schedule that committed meanwhile wins, and this edit is refused.
        var saved = await db.Campaigns.Where(c => c.Id == id && c.Status == CampaignStatus.Draft).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.Name, campaign.Name).SetProperty(c => c.SegmentId, campaign.SegmentId).SetProperty(c => c.LeadIds, campaign.LeadIds)
            .SetProperty(c => c.ExcludeSegmentIds, campaign.ExcludeSegmentIds).SetProperty(c => c.TemplateId, campaign.TemplateId)
            .SetProperty(c => c.Body, campaign.Body).SetProperty(c => c.Variables, campaign.Variables).SetProperty(c => c.Category, campaign.Category)
            .SetProperty(c => c.SendAt, campaign.SendAt).SetProperty(c => c.LocalTime, campaign.LocalTime).SetProperty(c => c.SendDate, campaign.SendDate)
            .SetProperty(c => c.WhenLocalTimePassed, campaign.WhenLocalTimePassed).SetProperty(c => c.ThrottlePerMinute, campaign.ThrottlePerMinute)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        return saved == 0 ? CampaignProblems.NotDraft(CampaignStatus.Scheduled, "edited") : TypedResults.Ok(CampaignResponse.From(campaign));
    }
}
