using Microsoft.Extensions.Options;
using Npgsql;

namespace SmsRemarketing.Api.Idempotency;

/// <summary>Deletes idempotency keys past their lifetime, in small batches, so the table stays the size of a day.</summary>
internal sealed partial class IdempotencyHousekeeping(
    NpgsqlDataSource dataSource, IOptions<IdempotencyOptions> options, ILogger<IdempotencyHousekeeping> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    int deleted;
                    do
                    {
                        await using var command = dataSource.CreateCommand("""
                            DELETE FROM idempotency_keys WHERE (client_id, key) IN (
                                SELECT client_id, key FROM idempotency_keys WHERE created_at < now() - $1 LIMIT 5000)
                            """);
                        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = options.Value.IdempotencyKeyLifetime });
                        deleted = await command.ExecuteNonQueryAsync(stoppingToken);
                    }
                    while (deleted == 5000);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    LogFailed(exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting expired idempotency keys failed ({Error}); trying again next interval")]
    private partial void LogFailed(string error);
}
