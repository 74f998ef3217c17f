using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary><c>POST /campaigns</c>: a draft. Nothing is reserved or sent until it is scheduled.</summary>
internal static class CreateCampaign
{
    public static async Task<Results<Created<CampaignResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        CampaignRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var campaign = new Campaign { ClientId = user.ClientId(), Name = "", CreatedAt = now, UpdatedAt = now };
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

        if (request.Category is null && campaign.TemplateId is { } templateId)
        {
            campaign.Category = await db.Templates.Where(t => t.Id == templateId).Select(t => t.Category).SingleAsync(cancellationToken);
        }

        if (await CampaignCategory.RefusedAsync(db, campaign, cancellationToken) is { } refused)
        {
            return refused;
        }

        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/campaigns/{campaign.Id}", CampaignResponse.From(campaign));
    }
}
