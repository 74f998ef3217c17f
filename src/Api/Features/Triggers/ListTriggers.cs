using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary><c>GET /triggers</c>: newest first, filtered by type and is_active.</summary>
internal static class ListTriggers
{
    public static async Task<Results<Ok<Page<TriggerResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, string? type, [FromQuery(Name = "is_active")] bool? isActive,
        int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        var wantedType = Enum.GetValues<TriggerType>().Where(v => SnakeCaseEnumConverter.ToSnakeCase(v) == type).Cast<TriggerType?>().FirstOrDefault();
        if (type is not null && wantedType is null)
        {
            errors.Add("type", "One of new_lead, lead_age, webhook.");
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Triggers.AsNoTracking().Where(t => t.ClientId == clientId);
        if (wantedType is { } wanted)
        {
            query = query.Where(t => t.Type == wanted);
        }

        if (isActive is { } active)
        {
            query = query.Where(t => t.IsActive == active);
        }

        return TypedResults.Ok(await query.Seek(page, t => t.CreatedAt, t => t.Id).Select(TriggerResponse.Projection)
            .ToPageAsync(page, r => new Cursor(r.CreatedAt, r.Id), cancellationToken));
    }
}
