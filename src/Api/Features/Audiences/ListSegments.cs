using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary><c>GET /segments</c>: newest first.</summary>
internal static class ListSegments
{
    public static async Task<Results<Ok<Page<SegmentResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        // Whole rows: each filter is written out again from its stored form (SegmentResponse.From), not in SQL.
        var rows = await db.Segments.AsNoTracking().Where(s => s.ClientId == clientId)
            .Seek(page, s => s.CreatedAt, s => s.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.ToPage(rows.Select(SegmentResponse.From).ToList(), r => new Cursor(r.CreatedAt, r.Id)));
    }
}
