using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>The reply to HELP/INFO; null or "" restores the default.</summary>
internal sealed record HelpTextRequest(string? HelpText);

/// <summary><c>PUT /compliance/help-text</c></summary>
internal static class SetHelpText
{
    public const int MaxHelpTextLength = 320;

    public static async Task<Results<Ok<HelpTextResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        HelpTextRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("help_text", request.HelpText, MaxHelpTextLength);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var helpText = FieldText.Clean(request.HelpText);
        var now = time.GetUtcNow();
        var updated = await db.Clients.Where(c => c.Id == clientId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.HelpText, helpText).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        if (updated == 0)
        {
            return ApiProblems.NotFound("client");
        }

        var name = await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.Name).SingleAsync(cancellationToken);
        return TypedResults.Ok(new HelpTextResponse(helpText, helpText ?? Client.DefaultHelpText(name)));
    }
}
