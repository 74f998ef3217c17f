using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// What the client does to a scheduled campaign: pause (no message of it is released until it resumes; those already
/// released go on), resume, cancel (its messages not yet released are canceled, and what it holds beyond those already
/// released is released at once; the rest when they are claimed or settled). Each takes the campaign's row lock, as the
/// Scheduler's pass and the schedule do, so a pause never races a release. The lock is <c>FOR NO KEY UPDATE</c> in all
/// three: it excludes the others but not the key-share lock a debit's foreign key to the campaign takes. With
/// <c>FOR UPDATE</c> a Dispatcher's debit, which holds the client's row, waited for a cancel whose release waited for
/// that row: a deadlock (make bench, cancel while sending).
/// </summary>
public sealed class CampaignControl(TimeProvider time)
{
    public Task<CampaignChange> PauseAsync(SmsDbContext db, Guid clientId, Guid campaignId, CancellationToken cancellationToken) =>
        ChangeAsync(db, clientId, campaignId, [CampaignStatus.Scheduled, CampaignStatus.Sending], async (campaign, now) =>
        {
            await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.Status, CampaignStatus.Paused).SetProperty(c => c.PausedAt, now).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        }, cancellationToken);

    public Task<CampaignChange> ResumeAsync(SmsDbContext db, Guid clientId, Guid campaignId, CancellationToken cancellationToken) =>
        ChangeAsync(db, clientId, campaignId, [CampaignStatus.Paused], async (campaign, now) =>
        {
            var status = campaign.StartedAt is null ? CampaignStatus.Scheduled : CampaignStatus.Sending;
            await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.Status, status).SetProperty(c => c.PausedAt, (DateTimeOffset?)null).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        }, cancellationToken);

    public Task<CampaignChange> CancelAsync(SmsDbContext db, Guid clientId, Guid campaignId, CancellationToken cancellationToken) =>
        ChangeAsync(db, clientId, campaignId, [CampaignStatus.Scheduled, CampaignStatus.Sending, CampaignStatus.Paused], async (campaign, now) =>
        {
            await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.Status, CampaignStatus.Canceled).SetProperty(c => c.CanceledAt, now).SetProperty(c => c.UpdatedAt, now), cancellationToken);
            await Messages.Lifecycle.ScheduledCancellation.CancelScheduledWhereAsync(
                db.Messages.Where(m => m.CampaignId == campaign.Id), "Canceled with its campaign.", now, cancellationToken);
            await CampaignHold.ReleaseUnneededAsync(db, campaign.Id, cancellationToken);
        }, cancellationToken);

    private async Task<CampaignChange> ChangeAsync(
        SmsDbContext db, Guid clientId, Guid campaignId, CampaignStatus[] from, Func<Campaign, DateTimeOffset, Task> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var campaign = await db.Campaigns.FromSqlRaw("SELECT * FROM campaigns WHERE id = {0} AND client_id = {1} FOR NO KEY UPDATE", campaignId, clientId)
            .AsNoTracking().ToListAsync(cancellationToken) is [var found] ? found : null;
        if (campaign is null)
        {
            return new CampaignChange(false, null);
        }

        if (!from.Contains(campaign.Status))
        {
            return new CampaignChange(true, campaign.Status);
        }

        await change(campaign, time.GetUtcNow());
        await transaction.CommitAsync(cancellationToken);
        return new CampaignChange(true, null);
    }
}

/// <summary>Whether the campaign was found, and, when its status did not allow the change, that status.</summary>
public sealed record CampaignChange(bool Found, CampaignStatus? RefusedIn)
{
    public bool Changed => Found && RefusedIn is null;
}
