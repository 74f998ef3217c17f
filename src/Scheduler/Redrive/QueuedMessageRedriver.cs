using Microsoft.Extensions.Options;
using Npgsql;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Scheduler.Redrive;

/// <summary>
/// Every <see cref="QueuedMessageRedriveOptions.RedriveInterval"/>: samples the oldest <c>queued</c> message for the
/// gauge, then re-drives one batch of the messages queued longer than
/// <see cref="QueuedMessageRedriveOptions.RedriveAfter"/> (<see cref="QueuedMessageRedrive"/>). One batch per tick is
/// the rate limit: after an outage the backlog is re-driven over several ticks, not in one burst. Every replica runs
/// it; SKIP LOCKED shares the rows.
/// </summary>
internal sealed partial class QueuedMessageRedriver(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, IOptions<QueuedMessageRedriveOptions> options, TimeProvider time,
    ILogger<QueuedMessageRedriver> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.RedriveInterval, time);
        do
        {
            try
            {
                var (queued, oldest) = await QueuedMessageRedrive.OldestAsync(dataSource, stoppingToken);
                RedriveTelemetry.RecordQueued(queued, oldest);
                if (oldest >= settings.RedriveAfter.TotalSeconds)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
                    var redriven = await QueuedMessageRedrive.RedriveAsync(db, settings.RedriveAfter, settings.RedriveBatchSize, stoppingToken);
                    if (redriven > 0)
                    {
                        RedriveTelemetry.Redriven.Add(redriven);
                        LogRedriven(logger, redriven, settings.RedriveAfter);
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Nothing of a failed batch was written (one transaction); the next tick tries again.
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Published SendSmsRequested again for {Count} messages queued longer than {RedriveAfter}")]
    private static partial void LogRedriven(ILogger logger, int count, TimeSpan redriveAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-driving queued messages failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
