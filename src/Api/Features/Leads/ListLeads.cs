using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary><c>GET /leads</c>: newest first, filtered by phone, email, opt-out and created_at range.</summary>
internal static class ListLeads
{
    public static async Task<Results<Ok<Page<LeadResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, string? phone, string? email, [FromQuery(Name = "opted_out")] bool? optedOut,
        [FromQuery(Name = "created_from")] DateTimeOffset? createdFrom, [FromQuery(Name = "created_to")] DateTimeOffset? createdTo,
        int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        // A NUL in a filter is refused here: PostgreSQL cannot take it even as a parameter, which would be a 500.
        errors.Text("email", email, 320);
        string? e164 = null;
        if (phone is not null)
        {
            var normalized = PhoneNumberNormalizer.Normalize(phone);
            if (normalized.IsValid)
            {
                e164 = normalized.E164;
            }
            else
            {
                errors.Add("phone", normalized.Error!);
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var query = Filter(db, user.ClientId(), e164, email, optedOut, createdFrom, createdTo);
        return TypedResults.Ok(await query.Seek(page, l => l.CreatedAt, l => l.Id).Select(LeadResponse.Projection)
            .ToPageAsync(page, r => new Cursor(r.CreatedAt, r.Id), cancellationToken));
    }

    /// <summary>The client's leads the filters select (each served by an index: phone and email by their own).</summary>
    internal static IQueryable<Lead> Filter(
        SmsDbContext db, Guid clientId, string? e164, string? email, bool? optedOut, DateTimeOffset? createdFrom, DateTimeOffset? createdTo)
    {
        var query = db.Leads.AsNoTracking().Where(l => l.ClientId == clientId);
        if (e164 is not null)
        {
            query = query.Where(l => l.Phone == e164);
        }

        if (!string.IsNullOrWhiteSpace(email))
        {
            query = query.Where(l => l.Email == email.Trim());
        }

        if (optedOut is { } opted)
        {
            query = opted ? query.Where(l => l.OptedOutAt != null) : query.Where(l => l.OptedOutAt == null);
        }

        if (createdFrom is { } from)
        {
            query = query.Where(l => l.CreatedAt >= from.ToUniversalTime());
        }

        if (createdTo is { } to)
        {
            query = query.Where(l => l.CreatedAt < to.ToUniversalTime());
        }

        return query;
    }
}
