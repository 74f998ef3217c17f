using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Inbound;

namespace SmsRemarketing.Api.Features.Inbound;

internal sealed record InboundMessageResponse(
    Guid Id, string TwilioSid, Guid? LeadId, string FromPhone, string ToPhone, string Body, string? Keyword, bool PossibleOptOut,
    DateTimeOffset ReceivedAt);

/// <summary>
/// <c>GET /inbound-messages</c>: the SMS the client's numbers received, newest first; <c>possible_opt_out=true</c>
/// lists those that read like an opt-out without being a keyword, for a person to review.
/// </summary>
internal static class ListInboundMessages
{
    public static async Task<Results<Ok<Page<InboundMessageResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, bool? possibleOptOut, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Set<InboundMessage>().AsNoTracking().Where(m => m.ClientId == clientId);
        if (possibleOptOut is { } flagged)
        {
            query = query.Where(m => m.PossibleOptOut == flagged);
        }

        return TypedResults.Ok(await query.Seek(page, m => m.ReceivedAt, m => m.Id)
            .Select(m => new InboundMessageResponse(m.Id, m.TwilioSid, m.LeadId, m.FromPhone, m.ToPhone, m.Body, m.Keyword, m.PossibleOptOut, m.ReceivedAt))
            .ToPageAsync(page, m => new Cursor(m.ReceivedAt, m.Id), cancellationToken));
    }
}
