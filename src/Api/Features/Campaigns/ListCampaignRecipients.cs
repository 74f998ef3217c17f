using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>
/// <c>GET /campaigns/{id}/recipients</c>: the audience as frozen when it was scheduled, in lead id order, each with why
/// it was left out, or its message and outcome. The cursor is the last lead id seen.
/// </summary>
internal static class ListCampaignRecipients
{
    public static async Task<Results<Ok<Page<CampaignRecipientResponse>>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read<Guid>(errors, limit, cursor, TryDecodeLeadId);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (!await db.Campaigns.AnyAsync(c => c.Id == id && c.ClientId == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("campaign");
        }

        var recipients = db.CampaignRecipients.AsNoTracking().Where(r => r.CampaignId == id);
        if (page.After is { } after)
        {
            recipients = recipients.Where(r => r.LeadId.CompareTo(after) > 0);
        }

        var rows = await recipients.OrderBy(r => r.LeadId).Take(page.Fetch)
            .Select(r => new
            {
                r.LeadId, r.Phone, r.Excluded, r.ExclusionDetail,
                Message = db.Messages.Where(m => m.CampaignId == id && m.LeadId == r.LeadId)
                    .Select(m => new { m.Id, m.Status, m.TwilioSid, m.ErrorMessage, m.SendAfter, m.SentAt, m.DeliveredAt }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var data = rows.Select(r => new CampaignRecipientResponse(
            r.LeadId, r.Phone, r.Excluded is { } why ? SnakeCaseEnumConverter.ToSnakeCase(why) : null, r.ExclusionDetail,
            r.Message?.Id, r.Message is null ? null : SnakeCaseEnumConverter.ToSnakeCase(r.Message.Status), r.Message?.TwilioSid, r.Message?.ErrorMessage,
            r.Message?.SendAfter, r.Message?.SentAt, r.Message?.DeliveredAt)).ToList();
        return TypedResults.Ok(page.ToPage(data, r => r.LeadId.ToString()));
    }

    private static bool TryDecodeLeadId(string? text, out Guid? leadId)
    {
        leadId = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!Guid.TryParse(text, out var parsed))
        {
            return false;
        }

        leadId = parsed;
        return true;
    }
}
