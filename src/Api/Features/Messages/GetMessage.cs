using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary><c>GET /messages/{id}</c></summary>
internal static class GetMessage
{
    public static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Messages.AsNoTracking().Where(m => m.Id == id && m.ClientId == clientId)
                .Select(MessageResponse.Projection).SingleOrDefaultAsync(cancellationToken) is { } message
            ? TypedResults.Ok(message)
            : ApiProblems.NotFound("message");
    }
}
