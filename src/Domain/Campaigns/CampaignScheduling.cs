using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// draft → scheduled, in one transaction: plans every recipient (<see cref="CampaignPlanner"/>), freezes the audience
/// (a <see cref="CampaignRecipient"/> for each lead, and for each that gets one its message, <c>scheduled</c> at its
/// due instant, written with COPY a page at a time), then reserves the exact cost as a <c>reserve</c> ledger row. The
/// database refuses a reservation larger than what the client may spend (<c>ck_clients_credits_reserved</c>), and then
/// nothing of it is kept. The client's row is not locked while the audience is written, so its other sends go on.
/// </summary>
public sealed class CampaignScheduling(CampaignPlanner planner, TimeProvider time)
{
    public async Task<CampaignScheduleResult> ScheduleAsync(SmsDbContext db, Guid clientId, Guid campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Locked: two schedules of one campaign (a double click, two replicas) queue here, and the second finds it scheduled.
        var campaign = await db.Campaigns.FromSqlRaw("SELECT * FROM campaigns WHERE id = {0} AND client_id = {1} FOR NO KEY UPDATE", campaignId, clientId)
            .AsNoTracking().ToListAsync(cancellationToken) is [var found] ? found : null;
        if (campaign is null)
        {
            return CampaignScheduleResult.NotFound;
        }

        if (campaign.Status != CampaignStatus.Draft)
        {
            return CampaignScheduleResult.NotDraft(campaign.Status);
        }

        var now = time.GetUtcNow();
        if (CampaignTiming.Problem(campaign, now) is { } timing)
        {
            return CampaignScheduleResult.Invalid(timing.Field, timing.Detail);
        }

        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, cancellationToken);
        var template = campaign.TemplateId is { } templateId
            ? await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken)
            : null;
        if (campaign.TemplateId is not null && template is null || campaign.TemplateId is null && campaign.Body is null)
        {
            return CampaignScheduleResult.Invalid("template_id", "The campaign's template was deleted; give it a template or a body.");
        }

        var segments = await CampaignSegments.LoadAsync(db, campaign, cancellationToken);
        if (segments.Missing is { } missing)
        {
            return CampaignScheduleResult.Invalid(missing.Field, missing.Detail);
        }

        var tally = new CampaignTally();
        await foreach (var page in planner.PlanAsync(db, campaign, client, template, segments, cancellationToken))
        {
            foreach (var plan in page)
            {
                tally.Add(plan);
                db.CampaignRecipients.Add(new CampaignRecipient
                {
                    CampaignId = campaign.Id, LeadId = plan.LeadId, Phone = plan.Phone, Excluded = plan.Excluded, ExclusionDetail = plan.Detail,
                });
                if (plan.Excluded is null)
                {
                    db.Messages.Add(new Message
                    {
                        ClientId = client.Id, LeadId = plan.LeadId, TemplateId = template?.Id, CampaignId = campaign.Id,
                        Source = MessageSource.Campaign, ToPhone = plan.Phone, Body = plan.Body!, Segments = plan.Segments,
                        CreditCost = plan.CreditCost, Category = campaign.Category, Status = MessageStatus.Scheduled,
                        SendAfter = plan.SendAfter, CreatedAt = now, UpdatedAt = now,
                    });
                }
            }

            await AddedRowsCopy.WriteAsync(db, cancellationToken);
        }

        if (tally.Credits > 0 && !await TryReserveAsync(db, campaign, tally.Credits, now, cancellationToken))
        {
            // The transaction is aborted: what the client may spend is read after it.
            await transaction.RollbackAsync(cancellationToken);
            var available = await db.Clients.Where(c => c.Id == clientId).Select(c => c.CreditBalance - c.CreditsReserved).SingleAsync(cancellationToken);
            return CampaignScheduleResult.InsufficientCredits(tally, available);
        }

        await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(set => set
            .SetProperty(c => c.Status, CampaignStatus.Scheduled)
            .SetProperty(c => c.Recipients, tally.Recipients)
            .SetProperty(c => c.CreditsReserved, tally.Credits)
            .SetProperty(c => c.ScheduledAt, now)
            .SetProperty(c => c.UpdatedAt, now), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return CampaignScheduleResult.Scheduled(tally);
    }

    /// <summary>The reservation's ledger row; false when the database refuses it (it would hold more than the client may spend).</summary>
    private static async Task<bool> TryReserveAsync(SmsDbContext db, Campaign campaign, long credits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO credit_transactions (client_id, amount, kind, campaign_id, created_at) VALUES ({0}, {1}, 'reserve', {2}, {3})",
                [campaign.ClientId, -credits, campaign.Id, now], cancellationToken);
            return true;
        }
        catch (PostgresException exception) when (exception is { SqlState: PostgresErrorCodes.CheckViolation, ConstraintName: "ck_clients_credits_reserved" })
        {
            return false;
        }
    }
}
