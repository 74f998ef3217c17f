using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary><c>DELETE /segments/{id}</c>: the segment only; its leads are untouched.</summary>
internal static class DeleteSegment
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var deleted = await db.Segments.Where(s => s.Id == id && s.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? ApiProblems.NotFound("segment") : TypedResults.NoContent();
    }
}
