using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary><c>GET /compliance/help-text</c></summary>
internal static class GetHelpText
{
    public static async Task<Results<Ok<HelpTextResponse>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == clientId)
            .Select(c => new { c.Name, c.HelpText }).SingleOrDefaultAsync(cancellationToken);
        return client is null
            ? ApiProblems.NotFound("client")
            : TypedResults.Ok(new HelpTextResponse(client.HelpText, client.HelpText ?? Client.DefaultHelpText(client.Name)));
    }
}
