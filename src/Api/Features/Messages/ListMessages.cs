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

        var query = Filter(db, user.ClientId(), wanted, leadId, from, to);
        return TypedResults.Ok(await query.Seek(page, m => m.CreatedAt, m => m.Id).Select(MessageResponse.Projection)
            .ToPageAsync(page, r => new Cursor(r.CreatedAt, r.Id), cancellationToken));
    }

    /// <summary>
    /// The client's messages the filters select. The status is written into the SQL as a constant, not a parameter,
    /// so PostgreSQL can use the partial index <c>ix_messages_client_status</c> whose predicate names statuses.
    /// </summary>
    internal static IQueryable<Message> Filter(
        SmsDbContext db, Guid clientId, MessageStatus? status, Guid? leadId, DateTimeOffset? from, DateTimeOffset? to)
    {
        var query = db.Messages.AsNoTracking().Where(m => m.ClientId == clientId);
        if (status is { } s)
        {
            query = query.Where(m => m.Status == EF.Constant(s));
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

        return query;
    }
}
