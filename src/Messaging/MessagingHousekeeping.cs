using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Messaging;

/// <summary>
/// Keeps the outbox table from growing without bound: deletes published outbox rows past their retention, in small
/// batches so no statement holds locks for long. Several instances may run it at once; their deletes simply share
/// the work.
/// </summary>
internal sealed partial class MessagingHousekeeping(
    NpgsqlDataSource dataSource, IOptions<OutboxOptions> options, ILogger<MessagingHousekeeping> logger) : BackgroundService
{
    private const int BatchSize = 10_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.HousekeepingInterval);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    LogSweepFailed(exception.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        var outbox = await DeleteInBatchesAsync("""
            DELETE FROM outbox_messages WHERE id IN (
                SELECT id FROM outbox_messages WHERE published_at < now() - $1 LIMIT $2)
            """, options.Value.PublishedRetention, cancellationToken);
        if (outbox > 0)
        {
            LogSwept(outbox);
        }
    }

    private async Task<long> DeleteInBatchesAsync(string sql, TimeSpan retention, CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = retention });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);
        return total;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Housekeeping deleted {OutboxRows} published outbox rows")]
    private partial void LogSwept(long outboxRows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping failed ({Error}); trying again next interval")]
    private partial void LogSweepFailed(string error);
}
