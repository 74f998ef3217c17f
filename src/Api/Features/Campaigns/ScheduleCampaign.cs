using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>
/// <c>POST /campaigns/{id}/schedule</c>: freezes the audience and reserves the exact cost (<see cref="CampaignScheduling"/>);
/// answers what the estimate does, as reserved, with what the client may spend after it.
/// 402 when the client may not spend that much (nothing is kept), 409 when it is no longer a draft, 422 when its
/// timing has passed or a segment or template it names was deleted.
/// </summary>
internal static class ScheduleCampaign
{
    public static async Task<Results<Ok<CampaignEstimateResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CampaignScheduling scheduling, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var result = await scheduling.ScheduleAsync(db, clientId, id, cancellationToken);
        return result.Outcome switch
        {
            // What was reserved, and what the client may spend after it.
            CampaignScheduleOutcome.Scheduled => TypedResults.Ok(CampaignEstimateResponse.From(result.Tally!,
                await db.Clients.Where(c => c.Id == clientId).Select(c => c.CreditBalance - c.CreditsReserved).SingleAsync(cancellationToken))),
            CampaignScheduleOutcome.NotFound => ApiProblems.NotFound("campaign"),
            CampaignScheduleOutcome.NotDraft => CampaignProblems.NotDraft(result.Status!.Value, "scheduled"),
            CampaignScheduleOutcome.InsufficientCredits => ApiProblems.Status(StatusCodes.Status402PaymentRequired, "Not enough credit",
                $"The campaign costs {result.Tally!.Credits} credits; the client may spend {result.Available} (its balance less what other campaigns hold).",
                new Dictionary<string, object?> { ["reason"] = "no_credit", ["credits"] = result.Tally.Credits, ["available"] = result.Available }),
            _ => ApiProblems.Unprocessable(result.Detail!, new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [result.Field!] = [result.Detail!] } }),
        };
    }
}
