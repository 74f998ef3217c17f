using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>
/// <c>POST /campaigns/{id}/estimate</c>: renders the body for every recipient as the schedule will (the same
/// <see cref="CampaignPlanner"/>), and answers the recipients, those left out by reason, the segments, the credits
/// and the encodings, with what the client may spend now. Nothing is written.
/// </summary>
internal static class EstimateCampaign
{
    public static async Task<Results<Ok<CampaignEstimateResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CampaignPlanner planner, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var campaign = await db.Campaigns.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id && c.ClientId == clientId, cancellationToken);
        if (campaign is null)
        {
            return ApiProblems.NotFound("campaign");
        }

        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, cancellationToken);
        var template = campaign.TemplateId is { } templateId
            ? await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            : null;
        if (template is null && campaign.Body is null)
        {
            return ApiProblems.Unprocessable("The campaign's template was deleted; give it a template or a body.");
        }

        var segments = await CampaignSegments.LoadAsync(db, campaign, cancellationToken);
        if (segments.Missing is { } missing)
        {
            return ApiProblems.Unprocessable(missing.Detail, new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [missing.Field] = [missing.Detail] } });
        }

        var tally = new CampaignTally();
        await foreach (var page in planner.PlanAsync(db, campaign, client, template, segments, cancellationToken))
        {
            foreach (var plan in page)
            {
                tally.Add(plan);
            }
        }

        return TypedResults.Ok(CampaignEstimateResponse.From(tally, client.CreditsAvailable));
    }
}
