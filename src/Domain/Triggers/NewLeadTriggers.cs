using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Domain.Consent;

namespace SmsRemarketing.Domain.Triggers;

/// <summary>
/// A lead appeared: every <c>new_lead</c> trigger of its client fires once for it. Inactive triggers are recorded
/// as skipped too, so that activating a trigger later never fires it for leads that were new before. A lead waiting
/// to confirm a double opt-in gets its confirmation instead (<see cref="DoubleOptIn"/>), and its triggers fire when
/// it confirms (<c>LeadConfirmed</c> calls this again).
/// </summary>
public sealed class NewLeadTriggers(TriggerFirer firer, DoubleOptIn doubleOptIn)
{
    public async Task<IReadOnlyList<TriggerFiring>> FireAsync(SmsDbContext db, Guid clientId, Guid leadId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var waiting = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == leadId && l.ClientId == clientId, cancellationToken);
        if (waiting.AwaitingConfirmationSince is not null)
        {
            var owner = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, cancellationToken);
            await doubleOptIn.RequestIfWaitingAsync(db, owner, waiting, cancellationToken);
            return [];
        }

        while (true)
        {
            // Held until the firings commit: the frequency cap locks the lead in it (TriggerFirer.TrySaveAsync commits).
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, cancellationToken);
            var lead = await db.Leads.AsNoTracking().SingleAsync(l => l.Id == leadId && l.ClientId == clientId, cancellationToken);
            var triggers = await db.Triggers.AsNoTracking().Include(t => t.Template)
                .Where(t => t.ClientId == clientId && t.Type == TriggerType.NewLead)
                .Where(t => !db.TriggerFirings.Any(f => f.TriggerId == t.Id && f.LeadId == leadId))
                .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
                .ToListAsync(cancellationToken);
            var firings = await StageAsync(db, client, lead, triggers, cancellationToken);
            if (firings.Count == 0 || await TriggerFirer.TrySaveAsync(db, cancellationToken))
            {
                return firings;
            }
        }
    }

    private async Task<List<TriggerFiring>> StageAsync(SmsDbContext db, Client client, Lead lead, List<Trigger> triggers, CancellationToken cancellationToken)
    {
        var firings = new List<TriggerFiring>();
        foreach (var trigger in triggers)
        {
            firings.AddRange(await firer.StageAsync(db, trigger, client, [lead], MessageSource.NewLead, null, cancellationToken));
        }

        return firings;
    }
}
