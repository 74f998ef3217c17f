using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Features.Messages;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary>
/// A webhook trigger fires once per lead: a second fire for the same lead answers 200 with the message of the
/// first (202 is for the call that queued it). Only a queued firing is recorded here, so a fire refused for an
/// expected reason (no credit, missing variables, opted out) can be retried once the reason is gone.
/// </summary>
internal static class WebhookFirings
{
    public static async Task<Results<Accepted<MessageResponse>, Ok<MessageResponse>, ValidationProblem, ProblemHttpResult>?> FirstAsync(
        SmsDbContext db, Guid triggerId, Guid leadId, CancellationToken cancellationToken)
    {
        var firing = await db.TriggerFirings.AsNoTracking().Where(f => f.TriggerId == triggerId && f.LeadId == leadId)
            .Select(f => new { f.MessageId, f.Outcome }).SingleOrDefaultAsync(cancellationToken);
        if (firing is null)
        {
            return null;
        }

        var message = firing.MessageId is { } messageId
            ? await db.Messages.AsNoTracking().Where(m => m.Id == messageId).Select(MessageResponse.Projection).SingleOrDefaultAsync(cancellationToken)
            : null;
        return message is not null
            ? TypedResults.Ok(message)
            : ApiProblems.Conflict($"The trigger already fired for this lead ({firing.Outcome}).",
                new Dictionary<string, object?> { ["reason"] = "already_fired", ["outcome"] = firing.Outcome });
    }
}
