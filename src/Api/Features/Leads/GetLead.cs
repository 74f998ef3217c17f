using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary><c>GET /leads/{id}</c></summary>
internal static class GetLead
{
    public static async Task<Results<Ok<LeadResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Leads.AsNoTracking().Where(l => l.Id == id && l.ClientId == clientId)
                .Select(LeadResponse.Projection).SingleOrDefaultAsync(cancellationToken) is { } lead
            ? TypedResults.Ok(lead)
            : ApiProblems.NotFound("lead");
    }
}
