using MassTransit;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Triggers;

namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>
/// Fires the client's new_lead triggers for the lead of a <see cref="LeadCreated"/>, whether the Api or another
/// system published it. Idempotent: the lead is matched by (client, phone) and each (trigger, lead) fires once.
/// </summary>
internal sealed partial class LeadCreatedConsumer(SmsDbContext db, NewLeadTriggers triggers, TimeProvider time, ILogger<LeadCreatedConsumer> logger)
    : IConsumer<LeadCreated>
{
    public async Task Consume(ConsumeContext<LeadCreated> context)
    {
        var leadId = await ExternalLeads.FindOrCreateAsync(db, context.Message, time.GetUtcNow(), context.CancellationToken);
        db.ChangeTracker.Clear();
        var firings = await triggers.FireAsync(db, context.Message.ClientId, leadId, context.CancellationToken);
        foreach (var firing in firings)
        {
            LogFired(logger, firing.TriggerId, firing.LeadId, firing.Outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "new_lead trigger {TriggerId} fired for lead {LeadId}: {Outcome}")]
    private static partial void LogFired(ILogger logger, Guid triggerId, Guid leadId, string outcome);
}
