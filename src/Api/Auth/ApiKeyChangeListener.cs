using Npgsql;
using SmsRemarketing.Data;

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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // Changes made while nobody listened went unreported: the cache is emptied at every (re)connection.
        PostgresListener.ListenAsync(dataSource, Channel, keys.Evict, keys.Clear,
            exception => LogListenFailed(exception.Message), MaxRetryDelay, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key change listener lost its connection ({Error}); cached keys are trusted for Api:ApiKeyCacheDuration until it is back")]
    private partial void LogListenFailed(string error);
}
