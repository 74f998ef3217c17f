using Quartz;

namespace SmsRemarketing.Scheduler.Triggers.LeadAge;

/// <summary>The Quartz tick: plans the sweeps that are due. Planning is idempotent, so a missed tick costs nothing.</summary>
[DisallowConcurrentExecution]
internal sealed partial class LeadAgeSweepJob(IServiceScopeFactory scopes, ILogger<LeadAgeSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("lead-age-sweeps");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var emitted = await scope.ServiceProvider.GetRequiredService<LeadAgeSweepPlanner>().PlanAsync(cancellationToken);
            if (emitted > 0)
            {
                LogEmitted(logger, emitted);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The next tick tries again; nothing was emitted for a sweep whose transaction failed.
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Emitted {Count} lead_age sweep commands")]
    private static partial void LogEmitted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Planning lead_age sweeps failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
