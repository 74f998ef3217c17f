using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary><c>GET /suppressions</c>: the opted-out leads, most recent opt-out first (the keyset is the opt-out's time).</summary>
internal static class ListSuppressions
{
    public static async Task<Results<Ok<Page<SuppressionResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var optedOut = db.Leads.AsNoTracking().Where(l => l.ClientId == clientId && l.OptedOutAt != null)
            .Seek(page, l => l.OptedOutAt!.Value, l => l.Id);
        return TypedResults.Ok(await SuppressionResponse.Project(db, optedOut)
            .ToPageAsync(page, r => new Cursor(r.OptedOutAt, r.LeadId), cancellationToken));
    }
}
