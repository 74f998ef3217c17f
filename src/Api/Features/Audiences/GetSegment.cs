using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary><c>GET /segments/{id}</c></summary>
internal static class GetSegment
{
    public static async Task<Results<Ok<SegmentResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Segments.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.ClientId == clientId, cancellationToken) is { } segment
            ? TypedResults.Ok(SegmentResponse.From(segment))
            : ApiProblems.NotFound("segment");
    }
}
