using Npgsql;

namespace SmsRemarketing.Api.Auth;

/// <summary>
/// LISTENs on <see cref="Channel"/>, where the database reports every change of a client's key, activity or
/// existence (a trigger on <c>clients</c>, whoever made the change), and evicts that prefix from this replica's
/// <see cref="ApiKeyCache"/>: a key deactivated or rotated through one Api is refused by every other within a second.
/// While the connection is lost, changes go unreported, so the cache is emptied whenever it is (re)established.
/// </summary>
internal sealed partial class ApiKeyChangeListener(NpgsqlDataSource dataSource, ApiKeyCache keys, ILogger<ApiKeyChangeListener> logger)
    : BackgroundService
{
    /// <summary>The channel of the <c>clients_api_key_changed</c> trigger; each payload is one key prefix.</summary>
    public const string Channel = "api_key_changed";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, notification) => keys.Evict(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                failures = 0;
                keys.Clear();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or IOException)
            {
                failures++;
                LogListenFailed(exception.Message);
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(failures, 10))));
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key change listener lost its connection ({Error}); cached keys are trusted for Api:ApiKeyCacheDuration until it is back")]
    private partial void LogListenFailed(string error);
}
