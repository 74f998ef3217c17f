using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Features.Leads;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Audiences;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary><c>GET /segments/{id}/leads</c>: the members newest first, each as <c>GET /leads</c> shows a lead.</summary>
internal static class ListSegmentLeads
{
    public static async Task<Results<Ok<Page<LeadResponse>>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (await StoredSegments.FilterAsync(db, clientId, id, cancellationToken) is not { } filter)
        {
            return ApiProblems.NotFound("segment");
        }

        return TypedResults.Ok(await Segments.Members(db, clientId, filter, time.GetUtcNow())
            .Seek(page, l => l.CreatedAt, l => l.Id).Select(LeadResponse.Projection)
            .ToPageAsync(page, r => new Cursor(r.CreatedAt, r.Id), cancellationToken));
    }
}
