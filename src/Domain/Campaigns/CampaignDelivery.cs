using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// The Scheduler's pass over one campaign, under its row lock (<c>SKIP LOCKED</c>: replicas share campaigns, never one):
/// releases its due messages through <see cref="DeferredRelease"/> (the same rules as every deferred message), at most
/// <see cref="Campaign.ThrottlePerMinute"/> a minute and never more than <see cref="CampaignDeliveryLimits.LaneBacklog"/>
/// of them queued at once (so the outbox and its lane never hold a long line of it); marks it <c>sending</c> at its first
/// release; and once nothing of it is left to send or in flight, marks it <c>completed</c> (or closes a canceled one) and releases
/// what it still holds.
/// </summary>
public sealed class CampaignDelivery(SmsDbContext db, DeferredRelease release, TimeProvider time)
{
    private static readonly string LockSql = $$"""
        SELECT * FROM campaigns WHERE id = {0} AND settled_at IS NULL
            AND status IN ('{{Name(CampaignStatus.Scheduled)}}', '{{Name(CampaignStatus.Sending)}}', '{{Name(CampaignStatus.Canceled)}}')
        FOR NO KEY UPDATE SKIP LOCKED
        """;

    /// <summary>The campaigns with messages to release or an account to close, oldest first.</summary>
    public Task<List<Guid>> DueAsync(int limit, CancellationToken cancellationToken) =>
        db.Campaigns.Where(c => c.SettledAt == null
                && (c.Status == CampaignStatus.Scheduled || c.Status == CampaignStatus.Sending || c.Status == CampaignStatus.Canceled))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(limit).ToListAsync(cancellationToken);

    /// <summary>One round for one campaign; returns how many of its messages it queued.</summary>
    public async Task<int> RunAsync(Guid campaignId, CampaignDeliveryLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var campaign = await db.Campaigns.FromSqlRaw(LockSql, campaignId).AsNoTracking().ToListAsync(cancellationToken) is [var found] ? found : null;
        if (campaign is null)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var released = 0;
        if (campaign.Status is CampaignStatus.Scheduled or CampaignStatus.Sending)
        {
            var window = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
            var inWindow = campaign.ThrottleWindow == window ? campaign.ReleasedInWindow : 0;
            var queued = await db.Messages.CountAsync(m => m.CampaignId == campaign.Id && m.Status == MessageStatus.Queued, cancellationToken);
            var allowance = Math.Min(limits.LaneBacklog - queued, campaign.ThrottlePerMinute is { } throttle ? throttle - inWindow : int.MaxValue);
            while (allowance > 0)
            {
                var batch = await release.ReleaseCampaignBatchAsync(campaign.Id, Math.Min(allowance, limits.BatchSize), cancellationToken);
                released += batch.Released;
                allowance -= batch.Released;
                if (batch.Claimed < limits.BatchSize)
                {
                    break;
                }
            }

            if (released > 0 || campaign.ThrottleWindow != window)
            {
                var started = campaign.StartedAt ?? (released > 0 ? now : null);
                var status = started is null ? campaign.Status : CampaignStatus.Sending;
                await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(c => c.Status, status).SetProperty(c => c.StartedAt, started)
                    .SetProperty(c => c.ThrottleWindow, window).SetProperty(c => c.ReleasedInWindow, inWindow + released)
                    .SetProperty(c => c.UpdatedAt, now), cancellationToken);
            }
        }

        // Completed once every message has an outcome from Twilio or a rule: none waiting, queued or in flight.
        var pending = await db.Messages.AnyAsync(m => m.CampaignId == campaign.Id
            && (m.Status == MessageStatus.Scheduled || m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending), cancellationToken);
        if (!pending)
        {
            var status = campaign.Status == CampaignStatus.Canceled ? CampaignStatus.Canceled : CampaignStatus.Completed;
            await CampaignHold.ReleaseUnneededAsync(db, campaign.Id, cancellationToken);
            await db.Campaigns.Where(c => c.Id == campaign.Id).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.Status, status)
                .SetProperty(c => c.CompletedAt, c => status == CampaignStatus.Completed ? now : c.CompletedAt)
                .SetProperty(c => c.SettledAt, now).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return released;
    }

    private static string Name(CampaignStatus status) => SnakeCaseEnumConverter.ToSnakeCase(status);
}

/// <summary>How much of a campaign one round releases: <see cref="BatchSize"/> per transaction, and at most <see cref="LaneBacklog"/> of its messages queued at once.</summary>
public sealed record CampaignDeliveryLimits(int BatchSize, int LaneBacklog);
