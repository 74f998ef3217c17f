using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary>
/// <c>POST /messages/{id}/cancel</c>: a <c>scheduled</c> message becomes <c>canceled</c> and is never sent (200 with
/// it). One that is no longer scheduled (released, settled, canceled already) is 409 with its
/// <c>message_status</c>, never 200: the caller must learn that this call did not stop it, since it may be on its way.
/// </summary>
internal static class CancelMessage
{
    public static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var canceled = await ScheduledCancellation.CancelScheduledAsync(db, clientId, id, time.GetUtcNow(), cancellationToken);
        var message = await db.Messages.AsNoTracking().Where(m => m.Id == id && m.ClientId == clientId)
            .Select(MessageResponse.Projection).SingleOrDefaultAsync(cancellationToken);
        if (message is null)
        {
            return ApiProblems.NotFound("message");
        }

        if (canceled)
        {
            return TypedResults.Ok(message);
        }

        // Not "status": a problem's status is its HTTP status.
        var status = MessageLifecycle.Name(message.Status);
        return ApiProblems.Conflict($"Only a scheduled message can be canceled; this one is {status}.",
            new Dictionary<string, object?> { ["message_status"] = status });
    }
}
