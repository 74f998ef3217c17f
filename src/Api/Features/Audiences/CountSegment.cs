using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary><c>GET /segments/{id}/count</c>: counted by PostgreSQL now, with the same membership rule a campaign uses.</summary>
internal static class CountSegment
{
    public static async Task<Results<Ok<SegmentCountResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        if (await StoredSegments.FilterAsync(db, clientId, id, cancellationToken) is not { } filter)
        {
            return ApiProblems.NotFound("segment");
        }

        var count = await Segments.Members(db, clientId, filter, time.GetUtcNow()).LongCountAsync(cancellationToken);
        return TypedResults.Ok(new SegmentCountResponse(count));
    }
}
