using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary><c>GET /triggers/{id}</c></summary>
internal static class GetTrigger
{
    public static async Task<Results<Ok<TriggerResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Triggers.AsNoTracking().Where(t => t.Id == id && t.ClientId == clientId)
                .Select(TriggerResponse.Projection).SingleOrDefaultAsync(cancellationToken) is { } trigger
            ? TypedResults.Ok(trigger)
            : ApiProblems.NotFound("trigger");
    }
}
