using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>
/// scheduled → queued, the release of deferred messages that are due, a batch per transaction: claims them with
/// <c>FOR UPDATE SKIP LOCKED</c> (so Scheduler replicas share the work and never release a message twice), then
/// applies <see cref="SendEligibility"/> to each with the client and lead as they are now, settling one that may not
/// go as <see cref="Eligibility.ForRecordedMessage"/> says (deferred again to the next instant the policy allows, or
/// suppressed, skipped, failed); an eligible one is <c>queued</c> with its send request (<see cref="SendRequests"/>) in
/// the same transaction. Several messages to one lead due at once count against each other, so the cap holds; a
/// per-lead advisory lock, taken before the lead's history is read, makes that hold across replicas too. A campaign's
/// messages are released only by its campaign pass (<see cref="ReleaseCampaignBatchAsync"/>), which holds the campaign's
/// row: so its throttle and a pause hold, and the general scan never walks a large campaign's rows.
/// </summary>
public sealed class DeferredRelease(SmsDbContext db, TimeProvider time)
{
    // The status as a literal, not a parameter: only then can a generic plan use the partial index of scheduled rows.
    private static readonly string DueSql = $$"""
        SELECT * FROM messages WHERE status = '{{MessageLifecycle.Scheduled}}' AND campaign_id IS NULL AND send_after <= {0}
        ORDER BY send_after, id LIMIT {1} FOR UPDATE SKIP LOCKED
        """;

    private static readonly string CampaignDueSql = $$"""
        SELECT * FROM messages WHERE campaign_id = {0} AND status = '{{MessageLifecycle.Scheduled}}' AND send_after <= {1}
        ORDER BY send_after, id LIMIT {2} FOR UPDATE SKIP LOCKED
        """;

    /// <summary>Releases one batch of at most <paramref name="batchSize"/> messages of no campaign; returns what became of the messages it claimed.</summary>
    public async Task<ReleaseResult> ReleaseBatchAsync(int batchSize, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Messages.FromSqlRaw(DueSql, now, batchSize).ToListAsync(cancellationToken);
        var result = await ReleaseAsync(due, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Releases at most <paramref name="limit"/> due messages of one campaign, in the caller's transaction (the campaign
    /// pass holds the campaign's row there, for its throttle). A campaign's message is paid from its reservation.
    /// </summary>
    public async Task<ReleaseResult> ReleaseCampaignBatchAsync(Guid campaignId, int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.Messages.FromSqlRaw(CampaignDueSql, campaignId, now, limit).ToListAsync(cancellationToken);
        return await ReleaseAsync(due, now, cancellationToken);
    }

    private async Task<ReleaseResult> ReleaseAsync(List<Message> due, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (due.Count == 0)
        {
            return new ReleaseResult(0, 0, 0, 0);
        }

        var leadIds = due.Select(m => m.LeadId).Distinct().ToList();
        await FrequencyCap.LockLeadsAsync(db, leadIds, cancellationToken);

        var leads = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        var clientIds = due.Select(m => m.ClientId).Distinct().ToList();
        // The opt-out of the number each message goes to (the lead's phone may have changed since it was queued).
        var phones = due.Select(m => m.ToPhone).Distinct().ToList();
        var optedOut = (await db.Set<PhoneConsent>().AsNoTracking()
                .Where(pc => clientIds.Contains(pc.ClientId) && phones.Contains(pc.Phone) && pc.OptedOutAt != null)
                .Select(pc => new { pc.ClientId, pc.Phone, pc.OptedOutAt })
                .ToListAsync(cancellationToken))
            .ToDictionary(pc => (pc.ClientId, pc.Phone), pc => pc.OptedOutAt);
        var clients = await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var balances = clients.Values.ToDictionary(c => c.Id, c => c.CreditsAvailable);
        var prepaid = await PrepaidAsync(due.Where(m => m.Attempts > 0).Select(m => m.Id).ToList(), cancellationToken);
        var history = new Dictionary<Guid, List<DateTimeOffset>>();
        foreach (var client in clients.Values.Where(c => c.FrequencyCaps.Count > 0))
        {
            var ofClient = due.Where(m => m.ClientId == client.Id).Select(m => m.LeadId).Distinct().ToList();
            foreach (var (leadId, sends) in await FrequencyCap.HistoryAsync(db, client, ofClient, now, cancellationToken))
            {
                history[leadId] = sends;
            }
        }

        var spent = new Dictionary<Guid, DailySpend>();
        foreach (var client in clients.Values.Where(c => DestinationPolicy.Of(c).HasDailyCap))
        {
            spent[client.Id] = await DailySpend.ReadAsync(db, client.Id, client.Timezone, now, cancellationToken);
        }

        var (released, deferred, dropped) = (0, 0, 0);
        foreach (var message in due.OrderBy(m => m.SendAfter).ThenBy(m => m.CreatedAt).ThenBy(m => m.Id))
        {
            message.UpdatedAt = now;
            var client = clients[message.ClientId];
            var paid = prepaid.Contains(message.Id);
            var sends = history.TryGetValue(message.LeadId, out var known) ? known : history[message.LeadId] = [];
            var eligibility = SendEligibility.Check(SendingPolicy.Of(client) with { CreditsAvailable = balances[client.Id] },
                Recipient.Of(leads[message.LeadId]) with
                {
                    Phone = message.ToPhone, OptedOutAt = optedOut.GetValueOrDefault((message.ClientId, message.ToPhone)),
                },
                new SendFacts(message.CreditCost, message.Source != MessageSource.Manual, message.Category, paid,
                    Confirmation: message.Source == MessageSource.Confirmation, Held: message.CampaignId is not null),
                sends, now, spent.GetValueOrDefault(client.Id));
            if (eligibility.ForRecordedMessage is { } outcome)
            {
                (message.Status, message.ErrorMessage) = (outcome.Status, outcome.Reason);
                if (outcome.SendAfter is { } at)
                {
                    message.SendAfter = at;
                    deferred++;
                }
                else
                {
                    dropped++;
                }

                continue;
            }

            (message.Status, message.ErrorMessage, message.QueuedAt) = (MessageStatus.Queued, null, now);
            db.AddSendRequest(message.Id, message.ClientId, message.CampaignId, now);
            // What the claim will debit, so the next message of the client is checked against what is left (a
            // campaign's message is paid from its reservation, not from what the client may spend otherwise).
            balances[client.Id] -= paid || message.CampaignId is not null ? 0 : message.CreditCost;
            if (!paid)
            {
                spent.GetValueOrDefault(client.Id)?.Add(message.CreditCost);
            }

            sends.Add(now);
            released++;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new ReleaseResult(due.Count, released, deferred, dropped);
    }

    /// <summary>Of the given messages, those whose debit a taken-over claim left in place (sent back to wait, never refunded).</summary>
    private async Task<HashSet<Guid>> PrepaidAsync(List<Guid> attempted, CancellationToken cancellationToken)
    {
        if (attempted.Count == 0)
        {
            return [];
        }

        var debits = db.CreditTransactions.Where(t => t.MessageId != null && attempted.Contains(t.MessageId.Value));
        var ids = await debits.Where(t => t.Kind == Data.Credits.CreditTransactionKind.SmsDebit)
            .Select(t => t.MessageId!.Value)
            .Except(debits.Where(t => t.Kind == Data.Credits.CreditTransactionKind.Refund).Select(t => t.MessageId!.Value))
            .ToListAsync(cancellationToken);
        return [.. ids];
    }
}

/// <summary>Of <see cref="Claimed"/> due messages: queued, deferred again, or settled unsent (suppressed, skipped, failed).</summary>
public sealed record ReleaseResult(int Claimed, int Released, int Deferred, int Dropped);
