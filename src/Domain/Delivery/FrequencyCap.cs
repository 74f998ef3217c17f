using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// A client's limits on automated SMS per lead, each a rolling window (<see cref="FrequencyCapRule"/>), counted over
/// the lead's automated messages that went or are going out: queued, sending, sent, delivered and undelivered
/// (undelivered ones reached the carrier, which counts them for filtering; a <c>failed</c> one never left Twilio and
/// the lead never saw it, so it does not count; nor do scheduled, suppressed or skipped ones). Each counts at
/// <see cref="Message.QueuedAt"/>. Manual sends neither count nor are capped: a person chose to send them.
/// Transactional and conversational messages are not capped (<c>DeliveryPolicy</c>) but count: the cap bounds how many
/// automated SMS a lead gets. The cap is atomic: whoever reads a lead's history to queue or release a capped message
/// first takes the lead's lock (<see cref="LockLeadsAsync"/>), held until its transaction ends.
/// </summary>
public static class FrequencyCap
{
    /// <summary>The statuses of the messages a cap counts.</summary>
    public static readonly IReadOnlyList<MessageStatus> CountedStatuses =
        [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Undelivered];

    public static bool Counts(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Source != MessageSource.Manual && CountedStatuses.Contains(message.Status);
    }

    /// <summary>The longest window of the rules: how far back a lead's history matters.</summary>
    public static TimeSpan Horizon(IReadOnlyCollection<FrequencyCapRule> rules) =>
        rules.Count == 0 ? TimeSpan.Zero : rules.Max(r => r.Window);

    /// <summary>
    /// Null when one more automated SMS at <paramref name="now"/> keeps every rule; else the first instant at which
    /// it would (enough of the counted sends have left each window: the count only falls while nothing is sent).
    /// </summary>
    public static DateTimeOffset? AllowedFrom(IReadOnlyCollection<FrequencyCapRule> rules, IEnumerable<DateTimeOffset> sends, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(sends);
        var history = sends.Order().ToList();
        DateTimeOffset? allowed = null;
        foreach (var rule in rules)
        {
            var inWindow = history.Where(s => s > now - rule.Window).ToList();
            if (inWindow.Count < rule.MaxMessages)
            {
                continue;
            }

            var freed = inWindow[inWindow.Count - rule.MaxMessages] + rule.Window;
            allowed = allowed is null || freed > allowed ? freed : allowed;
        }

        return allowed;
    }

    /// <summary>"at most 1 per 24 h and 3 per 168 h", for reasons a person reads.</summary>
    public static string Describe(IEnumerable<FrequencyCapRule> rules) =>
        string.Join(" and ", rules.Select(r => $"{r.MaxMessages} per {r.WindowHours} h"));

    /// <summary>
    /// When each lead's counted automated messages were queued, within the longest window of the client's rules, in
    /// one query.
    /// </summary>
    public static async Task<Dictionary<Guid, List<DateTimeOffset>>> HistoryAsync(
        SmsDbContext db, Client client, IReadOnlyCollection<Guid> leadIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(client);
        var since = now - Horizon(client.FrequencyCaps);
        var rows = await db.Messages.AsNoTracking()
            .Where(m => m.ClientId == client.Id && leadIds.Contains(m.LeadId) && m.Source != MessageSource.Manual)
            .Where(m => m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending || m.Status == MessageStatus.Sent
                || m.Status == MessageStatus.Delivered || m.Status == MessageStatus.Undelivered)
            .Where(m => m.QueuedAt > since)
            .Select(m => new { m.LeadId, QueuedAt = m.QueuedAt!.Value })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.LeadId).ToDictionary(g => g.Key, g => g.Select(r => r.QueuedAt).ToList());
    }

    /// <summary>
    /// Takes the per-lead lock of each lead, in the database's order of the ids (so two holders of overlapping sets
    /// cannot deadlock), held until the caller's transaction ends: a second path queueing for the same lead waits,
    /// then reads a history that includes what the first committed. Three automations firing at once for one lead
    /// thus count one another. Throws outside a transaction: a lock released at once would guard nothing.
    /// </summary>
    public static async Task LockLeadsAsync(SmsDbContext db, IReadOnlyCollection<Guid> leadIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(leadIds);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException(
                "The frequency cap's lead locks are taken in a transaction, held until it commits: begin one before queueing a capped message.");
        }

        if (leadIds.Count == 0)
        {
            return;
        }

        // The sorted subquery feeds the locks in order. Ordered by PostgreSQL, not .NET: Guid and uuid sort differently.
        var ids = leadIds.Distinct().ToArray();
        await db.Database.ExecuteSqlAsync($"""
            SELECT count(pg_advisory_xact_lock(hashtextextended('lead_delivery:' || id::text, 0)))
            FROM (SELECT id FROM unnest({ids}::uuid[]) AS id ORDER BY id) AS sorted
            """, cancellationToken);
    }

    /// <summary>
    /// <see cref="HistoryAsync"/> plus what this unit of work has staged for the same leads: what a trigger firing for
    /// them must count (two triggers firing for one new lead are staged before either is saved). Locks the leads first
    /// (<see cref="LockLeadsAsync"/>): the caller is in a transaction and commits what it queues in it.
    /// </summary>
    public static async Task<Dictionary<Guid, List<DateTimeOffset>>> RecentSendsAsync(
        SmsDbContext db, Client client, IReadOnlyCollection<Guid> leadIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await LockLeadsAsync(db, leadIds, cancellationToken);
        var sends = await HistoryAsync(db, client, leadIds, now, cancellationToken);
        foreach (var (leadId, staged) in Staged(db, now).Where(s => leadIds.Contains(s.Key)))
        {
            sends[leadId] = [.. sends.GetValueOrDefault(leadId) ?? [], .. staged];
        }

        return sends;
    }

    /// <summary>
    /// The counted automated sends this unit of work has added but not saved yet, by lead; one without
    /// <see cref="Message.QueuedAt"/> counts at <paramref name="now"/>.
    /// </summary>
    public static Dictionary<Guid, List<DateTimeOffset>> Staged(SmsDbContext db, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Entries() would first detect changes over every tracked entity. Nothing here needs it: an added entity is
        // tracked as Added the moment it is added.
        var detecting = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.ChangeTracker.Entries<Message>()
                .Where(e => e.State == EntityState.Added && Counts(e.Entity))
                .GroupBy(e => e.Entity.LeadId)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Entity.QueuedAt ?? now).ToList());
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }
}
