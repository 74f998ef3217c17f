using Npgsql;

namespace SmsRemarketing.Data;

/// <summary>
/// Holds a <c>LISTEN</c> on one channel for as long as the caller runs, on a connection of its own. A notification
/// sent while nobody listens is lost, so <c>onListening</c> runs each time the LISTEN is (re)established, for the
/// caller to catch up; a lost connection is reported to <c>onLost</c> and retried with jittered, capped backoff.
/// </summary>
public static class PostgresListener
{
    public static async Task ListenAsync(
        NpgsqlDataSource dataSource, string channel, Action<string> onNotification, Action onListening, Action<Exception> onLost,
        TimeSpan maxRetryDelay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(onNotification);
        ArgumentNullException.ThrowIfNull(onListening);
        ArgumentNullException.ThrowIfNull(onLost);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, notification) => onNotification(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken);
                }

                failures = 0;
                onListening();
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException)
            {
                failures++;
                onLost(exception);
                try
                {
                    await Task.Delay(RetryDelay(failures, maxRetryDelay), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The wait after <paramref name="failures"/> failures in a row of a loop that keeps a connection to the database
    /// or broker: 100 ms doubling up to <paramref name="max"/>, jittered down to half so replicas do not retry in step.
    /// </summary>
    public static TimeSpan RetryDelay(int failures, TimeSpan max)
    {
        var exponential = TimeSpan.FromMilliseconds(50 * Math.Pow(2, Math.Min(failures, 10)));
        var capped = exponential < max ? exponential : max;
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }
}
