using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>
/// Samples the outbox's depth and the age of its oldest pending row for the gauges in <see cref="OutboxTelemetry"/>.
/// Sampling on a timer, not in the gauge callback, keeps database I/O off the metrics exporter's thread.
/// </summary>
internal sealed class OutboxMonitor(NpgsqlDataSource dataSource, IOptions<OutboxOptions> options) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RelayEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    await using var command = dataSource.CreateCommand(
                        "SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM outbox_messages WHERE published_at IS NULL");
                    await using var reader = await command.ExecuteReaderAsync(stoppingToken);
                    if (await reader.ReadAsync(stoppingToken))
                    {
                        OutboxTelemetry.RecordDepth(reader.GetInt64(0), reader.GetDouble(1));
                    }
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    // The relay and health checks report database trouble; a missed sample is not worth a log line.
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
