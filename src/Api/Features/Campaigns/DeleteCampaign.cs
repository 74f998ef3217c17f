using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary><c>DELETE /campaigns/{id}</c>: a draft only; a scheduled one is canceled instead, and stays as history.</summary>
internal static class DeleteCampaign
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        if (await db.Campaigns.Where(c => c.Id == id && c.ClientId == clientId && c.Status == CampaignStatus.Draft).ExecuteDeleteAsync(cancellationToken) == 1)
        {
            return TypedResults.NoContent();
        }

        var status = await db.Campaigns.Where(c => c.Id == id && c.ClientId == clientId).Select(c => (CampaignStatus?)c.Status).SingleOrDefaultAsync(cancellationToken);
        return status is { } found ? CampaignProblems.NotDraft(found, "deleted (cancel it instead)") : ApiProblems.NotFound("campaign");
    }
}
