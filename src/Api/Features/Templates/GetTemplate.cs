using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary><c>GET /templates/{id}</c></summary>
internal static class GetTemplate
{
    public static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken) is { } template
            ? TypedResults.Ok(TemplateResponse.From(template))
            : ApiProblems.NotFound("template");
    }
}
