using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary><c>GET /campaigns/{id}</c>: with its progress (its messages by status) and its credits (the ledger's account of it).</summary>
internal static class GetCampaign
{
    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.ClientId == clientId, cancellationToken);
        if (campaign is null)
        {
            return ApiProblems.NotFound("campaign");
        }

        var counts = await db.Messages.Where(m => m.CampaignId == id).GroupBy(m => m.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Status, g => g.Count, cancellationToken);
        int Of(MessageStatus status) => counts.GetValueOrDefault(status);
        var progress = new CampaignProgressResponse(campaign.Recipients, Of(MessageStatus.Scheduled), Of(MessageStatus.Queued) + Of(MessageStatus.Sending),
            Of(MessageStatus.Sent), Of(MessageStatus.Delivered), Of(MessageStatus.Undelivered), Of(MessageStatus.Failed), Of(MessageStatus.Suppressed),
            Of(MessageStatus.Skipped), Of(MessageStatus.Canceled));
        var account = await CampaignHold.AccountAsync(db, id, cancellationToken);
        return TypedResults.Ok(CampaignResponse.From(campaign, progress, account));
    }
}
