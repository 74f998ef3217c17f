using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Delivery;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Scheduler.Deferred;

/// <summary>
/// Releases due <c>scheduled</c> messages, a batch per transaction: claims them with <c>FOR UPDATE SKIP LOCKED</c>
/// (so Scheduler replicas share the work and never release a message twice), then decides each again with the
/// client's policy as it is now: a lead opted out meanwhile → <c>suppressed</c>; over the frequency cap → deferred
/// again (or <c>skipped</c>); outside the sending window (a Scheduler that was down past the window's close) →
/// deferred to the next opening; else <c>queued</c> with its <see cref="SendSmsRequested"/> outbox row in the same
/// transaction. Several messages to one lead due at once count against each other, so the cap holds; a per-lead
/// advisory lock, taken before the lead's history is read, makes that hold across replicas too.
/// </summary>
internal sealed class DeferredMessageRelease(SmsDbContext db, TimeProvider time, IOptions<DeferredReleaseOptions> options)
{
    /// <summary>Releases one batch; returns how many messages it claimed (0: nothing is due).</summary>
    public async Task<ReleaseResult> ReleaseBatchAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batchSize = options.Value.ReleaseBatchSize;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.Messages.FromSql($"""
            SELECT * FROM messages WHERE status = 'scheduled' AND send_after <= {now}
            ORDER BY send_after, id LIMIT {batchSize} FOR UPDATE SKIP LOCKED
            """).ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return new ReleaseResult(0, 0, 0, 0);
        }

        var leadIds = due.Select(m => m.LeadId).Distinct().Order().ToList();
        foreach (var leadId in leadIds)
        {
            // Sorted, so two replicas locking overlapping leads cannot deadlock.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended('lead_delivery:' || {leadId}::text, 0))", cancellationToken);
        }

        var leads = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, cancellationToken);
        var clientIds = due.Select(m => m.ClientId).Distinct().ToList();
        var clients = await db.Clients.AsNoTracking().Where(c => clientIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var history = new Dictionary<Guid, List<DateTimeOffset>>();
        foreach (var client in clients.Values.Where(c => c.FrequencyCaps.Count > 0))
        {
            var ofClient = due.Where(m => m.ClientId == client.Id).Select(m => m.LeadId).Distinct().ToList();
            foreach (var (leadId, sends) in await FrequencyCap.HistoryAsync(db, client, ofClient, now, cancellationToken))
            {
                history[leadId] = sends;
            }
        }

        var (released, deferred, dropped) = (0, 0, 0);
        foreach (var message in due.OrderBy(m => m.SendAfter).ThenBy(m => m.CreatedAt).ThenBy(m => m.Id))
        {
            message.UpdatedAt = now;
            var client = clients[message.ClientId];
            var lead = leads[message.LeadId];
            if (lead.OptedOutAt is { } optedOutAt)
            {
                (message.Status, message.ErrorMessage) = (MessageStatus.Suppressed, OutgoingMessages.OptedOutReason(optedOutAt));
                dropped++;
                continue;
            }

            if (!client.IsActive)
            {
                (message.Status, message.ErrorMessage) = (MessageStatus.Skipped, "Skipped: the client was deactivated before the message was due.");
                dropped++;
                continue;
            }

            var sends = history.TryGetValue(lead.Id, out var known) ? known : history[lead.Id] = [];
            var decision = DeliveryPolicy.Decide(client, lead, message.Source != MessageSource.Manual, ignoreQuietHours: false, sends, now);
            switch (decision.Verdict)
            {
                case DeliveryVerdict.SendNow:
                    (message.Status, message.ErrorMessage, message.QueuedAt) = (MessageStatus.Queued, null, now);
                    db.AddOutboxMessage(new SendSmsRequested { MessageId = message.Id, ClientId = message.ClientId, RequestedAt = now });
                    sends.Add(now);
                    released++;
                    break;
                case DeliveryVerdict.Skip:
                    (message.Status, message.ErrorMessage) = (MessageStatus.Skipped, decision.Reason);
                    dropped++;
                    break;
                default:
                    (message.SendAfter, message.ErrorMessage) = (decision.At, decision.Reason);
                    deferred++;
                    break;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new ReleaseResult(due.Count, released, deferred, dropped);
    }
}

/// <summary>Of <see cref="Claimed"/> due messages: queued, deferred again, or settled unsent (suppressed, skipped).</summary>
internal sealed record ReleaseResult(int Claimed, int Released, int Deferred, int Dropped);
