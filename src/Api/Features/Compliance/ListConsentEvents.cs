using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Api.Features.Compliance;

internal sealed record ConsentEventResponse(
    Guid Id, string Phone, Guid? LeadId, ConsentEventKind Kind, ConsentEventSource Source, string? Detail,
    string? ConsentSource, DateTimeOffset? ConsentAt, string? ConsentText, DateTimeOffset OccurredAt)
{
    /// <summary>The client's events of one number, oldest first.</summary>
    public static Task<List<ConsentEventResponse>> OfPhoneAsync(SmsDbContext db, Guid clientId, string phone, CancellationToken cancellationToken) =>
        db.Set<ConsentEvent>().AsNoTracking()
            .Where(e => e.ClientId == clientId && e.Phone == phone)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .Select(e => new ConsentEventResponse(e.Id, e.Phone, e.LeadId, e.Kind, e.Source, e.Detail, e.ConsentSource, e.ConsentAt, e.ConsentText, e.OccurredAt))
            .ToListAsync(cancellationToken);
}

/// <summary>
/// <c>GET /leads/{leadId}/consent-events</c>: every consent event of the lead's number, oldest first, including those
/// from before the lead existed (a deleted lead's STOP stays with the number).
/// </summary>
internal static class ListConsentEvents
{
    public static async Task<Results<Ok<List<ConsentEventResponse>>, ProblemHttpResult>> HandleAsync(
        Guid leadId, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var phone = await db.Leads.Where(l => l.Id == leadId && l.ClientId == clientId).Select(l => l.Phone).SingleOrDefaultAsync(cancellationToken);
        return phone is null
            ? ApiProblems.NotFound("lead")
            : TypedResults.Ok(await ConsentEventResponse.OfPhoneAsync(db, clientId, phone, cancellationToken));
    }
}
