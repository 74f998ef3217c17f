using MassTransit;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Triggers;

namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>
/// Fires the new_lead triggers that waited for a lead's double opt-in confirmation. Idempotent like
/// <see cref="LeadCreatedConsumer"/>: each (trigger, lead) fires once; a lead deleted meanwhile fires nothing.
/// </summary>
internal sealed partial class LeadConfirmedConsumer(SmsDbContext db, NewLeadTriggers triggers, ILogger<LeadConfirmedConsumer> logger)
    : IConsumer<LeadConfirmed>
{
    public async Task Consume(ConsumeContext<LeadConfirmed> context)
    {
        var evt = context.Message;
        if (!await db.Leads.AnyAsync(l => l.Id == evt.LeadId && l.ClientId == evt.ClientId, context.CancellationToken))
        {
            return;
        }

        foreach (var firing in await triggers.FireAsync(db, evt.ClientId, evt.LeadId, context.CancellationToken))
        {
            LogFired(logger, firing.TriggerId, firing.LeadId, firing.Outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "new_lead trigger {TriggerId} fired for confirmed lead {LeadId}: {Outcome}")]
    private static partial void LogFired(ILogger logger, Guid triggerId, Guid leadId, string outcome);
}
