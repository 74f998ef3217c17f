using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

internal sealed record PreviewSegmentRequest(JsonElement? Filter);

/// <summary><c>POST /segments/preview</c>: how many members a filter would have, before it is saved.</summary>
internal static class PreviewSegment
{
    public static async Task<Results<Ok<SegmentCountResponse>, ValidationProblem>> HandleAsync(
        PreviewSegmentRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (SegmentFilter.Parse(request.Filter ?? default, errors) is not { } filter)
        {
            return errors.ToProblem();
        }

        var count = await Segments.Members(db, user.ClientId(), filter, time.GetUtcNow()).LongCountAsync(cancellationToken);
        return TypedResults.Ok(new SegmentCountResponse(count));
    }
}
