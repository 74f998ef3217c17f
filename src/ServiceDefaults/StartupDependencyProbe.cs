using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SmsRemarketing.ServiceDefaults;

/// <summary>
/// At start-up, says in one line when the database or the broker cannot be reached, instead of a stack trace
/// minutes later. It does not stop the host: the services keep retrying (MassTransit reconnects, each database
/// use opens a new connection) and <c>/health/ready</c> reports the dependency as down until it is back.
/// </summary>
internal sealed partial class StartupDependencyProbe(IConfiguration configuration, ILogger<StartupDependencyProbe> logger) : IHostedService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetConnectionString("Database") is { Length: > 0 } connectionString)
        {
            var target = new NpgsqlConnectionStringBuilder(connectionString);
            try
            {
                var probe = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = (int)Timeout.TotalSeconds, Pooling = false };
                await using var connection = new NpgsqlConnection(probe.ConnectionString);
                await connection.OpenAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or SocketException or TimeoutException or InvalidOperationException)
            {
                LogUnreachable("PostgreSQL", $"{target.Host}:{target.Port}/{target.Database}", exception.Message);
            }
        }

        if (configuration["RabbitMq:Url"] is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var port = uri.Port > 0 ? uri.Port : 5672;
            try
            {
                using var client = new TcpClient();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(Timeout);
                await client.ConnectAsync(uri.Host, port, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException)
            {
                LogUnreachable("RabbitMQ", $"{uri.Host}:{port}", exception.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Dependency} is unreachable at {Address}: {Error}. The service keeps retrying; /health/ready reports it until it is back.")]
    private partial void LogUnreachable(string dependency, string address, string error);
}
