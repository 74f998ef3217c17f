using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Triggers;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Api.Features.Triggers;

internal sealed record SweepResponse(Guid TriggerId, DateOnly LocalDate, DateOnly? CreatedOn, int Queued, int Skipped);

/// <summary>
/// <c>POST /triggers/{id}/sweep</c>: the lead_age sweep the Scheduler runs at the sweep time, run now in this
/// request for today's date in the client's time zone. Same code (<see cref="LeadAgeSweep"/>), same firings, so
/// running it before, after or alongside the Scheduler queues each lead once.
/// </summary>
internal static class SweepTrigger
{
    public static async Task<Results<Ok<SweepResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, OutgoingMessages outgoing, OutboxRelayWakeup wakeup, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var trigger = await db.Triggers.AsNoTracking().Where(t => t.Id == id && t.ClientId == clientId)
            .Select(t => new { t.Type, t.Client!.Timezone }).SingleOrDefaultAsync(cancellationToken);
        if (trigger is null)
        {
            return ApiProblems.NotFound("trigger");
        }

        if (trigger.Type != TriggerType.LeadAge)
        {
            return ApiProblems.Conflict($"Only lead_age triggers sweep; this one is {SnakeCaseEnumConverter.ToSnakeCase(trigger.Type)}.");
        }

        var today = LocalDates.Today(time.GetUtcNow(), LocalDates.Zone(trigger.Timezone));
        var sweep = new LeadAgeSweep(new TriggerFirer(outgoing, wakeup, time), time);
        var result = await sweep.RunAsync(db, id, today, cancellationToken);
        return result.Status switch
        {
            SweepStatus.Swept => TypedResults.Ok(new SweepResponse(id, result.LocalDate, result.CreatedOn, result.Queued, result.Skipped)),
            SweepStatus.TriggerInactive => ApiProblems.Conflict("The trigger is inactive.", new Dictionary<string, object?> { ["reason"] = TriggerFirer.TriggerInactive }),
            _ => ApiProblems.NotFound("trigger"),
        };
    }
}
