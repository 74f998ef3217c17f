using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Api.Features.Compliance;

internal sealed record ConsentEventResponse(
    Guid Id, Guid LeadId, ConsentEventKind Kind, ConsentEventSource Source, string? Detail, DateTimeOffset OccurredAt);

/// <summary><c>GET /leads/{leadId}/consent-events</c>: every opt-out and opt-in of a lead, oldest first.</summary>
internal static class ListConsentEvents
{
    public static async Task<Results<Ok<List<ConsentEventResponse>>, ProblemHttpResult>> HandleAsync(
        Guid leadId, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        if (!await db.Leads.AnyAsync(l => l.Id == leadId && l.ClientId == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("lead");
        }

        var events = await db.Set<ConsentEvent>().AsNoTracking()
            .Where(e => e.LeadId == leadId && e.ClientId == clientId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new ConsentEventResponse(e.Id, e.LeadId, e.Kind, e.Source, e.Detail, e.OccurredAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(events);
    }
}
