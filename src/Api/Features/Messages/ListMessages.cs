using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary><c>GET /messages</c>: newest first, filtered by status, lead and created_at range.</summary>
internal static class ListMessages
{
    public static async Task<Results<Ok<Page<MessageResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, string? status, [FromQuery(Name = "lead_id")] Guid? leadId,
        DateTimeOffset? from, DateTimeOffset? to, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        MessageStatus? wanted = null;
        if (status is not null)
        {
            wanted = Enum.GetValues<MessageStatus>().Where(v => SnakeCaseEnumConverter.ToSnakeCase(v) == status).Cast<MessageStatus?>().FirstOrDefault();
            if (wanted is null)
            {
                errors.Add("status", $"One of {string.Join(", ", Enum.GetValues<MessageStatus>().Select(SnakeCaseEnumConverter.ToSnakeCase))}.");
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Messages.AsNoTracking().Where(m => m.ClientId == clientId);
        if (wanted is { } s)
        {
            query = query.Where(m => m.Status == s);
        }

        if (leadId is { } lead)
        {
            query = query.Where(m => m.LeadId == lead);
        }

        if (from is { } start)
        {
            query = query.Where(m => m.CreatedAt >= start.ToUniversalTime());
        }

        if (to is { } end)
        {
            query = query.Where(m => m.CreatedAt < end.ToUniversalTime());
        }

        return TypedResults.Ok(await query.Seek(page, m => m.CreatedAt, m => m.Id).Select(MessageResponse.Projection)
            .ToPageAsync(page, r => new Cursor(r.CreatedAt, r.Id), cancellationToken));
    }
}
