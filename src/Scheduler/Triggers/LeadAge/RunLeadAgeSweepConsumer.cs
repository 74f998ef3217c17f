using MassTransit;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Triggers;

namespace SmsRemarketing.Scheduler.Triggers.LeadAge;

/// <summary>Runs a sweep. A redelivered or repeated command re-scans and finds every due lead already fired.</summary>
internal sealed partial class RunLeadAgeSweepConsumer(SmsDbContext db, LeadAgeSweep sweep, ILogger<RunLeadAgeSweepConsumer> logger)
    : IConsumer<RunLeadAgeSweep>
{
    public async Task Consume(ConsumeContext<RunLeadAgeSweep> context)
    {
        var command = context.Message;
        var result = await sweep.RunAsync(db, command.TriggerId, command.LocalDate, context.CancellationToken);
        LogSwept(logger, command.TriggerId, command.LocalDate, result.Status, result.Queued, result.Skipped);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "lead_age sweep of trigger {TriggerId} for {LocalDate}: {Status}, {Queued} queued, {Skipped} skipped")]
    private static partial void LogSwept(ILogger logger, Guid triggerId, DateOnly localDate, SweepStatus status, int queued, int skipped);
}
