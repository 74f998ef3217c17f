using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary><c>GET /campaigns</c>: newest first, optionally of one <c>status</c>; progress and credits are on <c>GET /campaigns/{id}</c>.</summary>
internal static class ListCampaigns
{
    public static async Task<Results<Ok<Page<CampaignResponse>>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read(errors, limit, cursor);
        CampaignStatus? only = null;
        if (status is not null)
        {
            if (SnakeCaseEnumConverter.TryParse<CampaignStatus>(status, out var parsed))
            {
                only = parsed;
            }
            else
            {
                errors.Add("status", "One of draft, scheduled, sending, paused, completed, canceled.");
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Campaigns.AsNoTracking().Where(c => c.ClientId == clientId);
        if (only is { } wanted)
        {
            query = query.Where(c => c.Status == wanted);
        }

        var rows = await query.Seek(page, c => c.CreatedAt, c => c.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.ToPage(rows.Select(c => CampaignResponse.From(c)).ToList(), r => new Cursor(r.CreatedAt, r.Id)));
    }
}
