using Microsoft.Extensions.Options;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Scheduler.Deferred;

/// <summary>
/// Every <see cref="DeferredReleaseOptions.ReleaseInterval"/>, releases the deferred messages that are due, batch
/// after batch until none is left. A plain hosted loop rather than a Quartz job: it has no calendar, only an interval,
/// and every replica runs it (SKIP LOCKED shares the rows).
/// </summary>
internal sealed partial class DeferredMessageReleaser(
    IServiceScopeFactory scopes, IOptions<DeferredReleaseOptions> options, TimeProvider time, ILogger<DeferredMessageReleaser> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReleaseInterval, time);
        do
        {
            try
            {
                await ReleaseDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Nothing of a failed batch was written (one transaction); the next tick claims it again.
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task ReleaseDueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<DeferredRelease>().ReleaseBatchAsync(options.Value.ReleaseBatchSize, cancellationToken);
            if (result.Claimed == 0)
            {
                return;
            }

            LogReleased(logger, result.Claimed, result.Released, result.Deferred, result.Dropped);
            if (result.Claimed < options.Value.ReleaseBatchSize)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Deferred messages: {Claimed} due, {Released} queued, {Deferred} deferred again, {Dropped} suppressed or skipped")]
    private static partial void LogReleased(ILogger logger, int claimed, int released, int deferred, int dropped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing deferred messages failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
