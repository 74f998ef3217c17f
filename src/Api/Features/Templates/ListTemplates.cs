using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary><c>GET /templates</c>: newest first.</summary>
internal static class ListTemplates
{
    public static async Task<Results<Ok<Page<TemplateResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        // Whole rows: a template's variables and segments are computed here, not in SQL.
        var rows = await db.Templates.AsNoTracking().Where(t => t.ClientId == clientId)
            .Seek(page, t => t.CreatedAt, t => t.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.ToPage(rows.Select(TemplateResponse.From).ToList(), r => new Cursor(r.CreatedAt, r.Id)));
    }
}
