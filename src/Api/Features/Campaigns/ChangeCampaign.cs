using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>
/// <c>POST /campaigns/{id}/pause</c>, <c>/resume</c> and <c>/cancel</c> (<see cref="CampaignControl"/>): each answers the
/// campaign as it is after, 409 with its status when that does not allow the change, 404 when not the client's.
/// </summary>
internal static class ChangeCampaign
{
    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> PauseAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CampaignControl control, CancellationToken cancellationToken) =>
        AnswerAsync(id, user, db, control.PauseAsync, "paused (only a scheduled or sending one)", cancellationToken);

    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> ResumeAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CampaignControl control, CancellationToken cancellationToken) =>
        AnswerAsync(id, user, db, control.ResumeAsync, "resumed (only a paused one)", cancellationToken);

    public static Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CampaignControl control, CancellationToken cancellationToken) =>
        AnswerAsync(id, user, db, control.CancelAsync, "canceled (a draft is deleted instead; a completed one is history)", cancellationToken);

    private static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> AnswerAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, Func<SmsDbContext, Guid, Guid, CancellationToken, Task<CampaignChange>> change, string what,
        CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var result = await change(db, clientId, id, cancellationToken);
        if (!result.Found)
        {
            return ApiProblems.NotFound("campaign");
        }

        if (result.RefusedIn is { } status)
        {
            return CampaignProblems.InStatus(status, $"This campaign is {SnakeCaseEnumConverter.ToSnakeCase(status)}: it cannot be {what}.");
        }

        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == id, cancellationToken);
        return TypedResults.Ok(CampaignResponse.From(campaign, account: await CampaignHold.AccountAsync(db, id, cancellationToken)));
    }
}
