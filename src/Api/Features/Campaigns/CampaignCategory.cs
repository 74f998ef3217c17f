using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>A campaign's category must be one the client may use (as for a manual send): 422 naming <c>category</c>.</summary>
internal static class CampaignCategory
{
    public static async Task<ProblemHttpResult?> RefusedAsync(SmsDbContext db, Campaign campaign, CancellationToken cancellationToken)
    {
        var allowed = await db.Clients.Where(c => c.Id == campaign.ClientId).Select(c => c.AllowedCategories).SingleAsync(cancellationToken);
        return allowed.Contains(campaign.Category) ? null : ApiProblems.CategoryNotAllowed("category", campaign.Category, allowed);
    }
}
