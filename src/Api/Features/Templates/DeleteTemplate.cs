using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary><c>DELETE /templates/{id}</c>: only a template no trigger uses.</summary>
internal static class DeleteTemplate
{
    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        // Deleting a template would cascade to its triggers; an automation silently vanishing is worse than a 409.
        var triggers = await db.Triggers.CountAsync(t => t.TemplateId == id && t.ClientId == clientId, cancellationToken);
        if (triggers > 0)
        {
            return ApiProblems.Conflict(
                $"The template is used by {triggers.ToString(CultureInfo.InvariantCulture)} trigger(s); delete them or bind them to another template first.");
        }

        var deleted = await db.Templates.Where(t => t.Id == id && t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? ApiProblems.NotFound("template") : TypedResults.NoContent();
    }
}
