using System.Net;
using System.Net.Sockets;

namespace SmsRemarketing.Testing;

/// <summary>
/// A loopback TCP forwarder a test can cut and restore, to make a real server (RabbitMQ, PostgreSQL) unreachable
/// to the code under test without stopping it for the other tests that share it.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<TcpClient> _connections = [];
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _running;

    public TcpProxy(string targetHostAndPort)
    {
        var parts = targetHostAndPort.Split(':');
        _targetHost = parts[0];
        _targetPort = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        Port = StartListening(0);
    }

    public int Port { get; }

    public string HostAndPort => $"127.0.0.1:{Port}";

    /// <summary>Refuses new connections and drops every open one, as a dead server or network would.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _running?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    /// <summary>Accepts connections again, on the same port.</summary>
    public void Restore() => StartListening(Port);

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private int StartListening(int port)
    {
        lock (_gate)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            _listener = listener;
            _running = new CancellationTokenSource();
            _ = AcceptAsync(listener, _running.Token);
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var server = new TcpClient();
        lock (_gate)
        {
            _connections.Add(client);
            _connections.Add(server);
        }

        try
        {
            await server.ConnectAsync(_targetHost, _targetPort, cancellationToken);
            var clientStream = client.GetStream();
            var serverStream = server.GetStream();
            await Task.WhenAny(
                clientStream.CopyToAsync(serverStream, cancellationToken),
                serverStream.CopyToAsync(clientStream, cancellationToken));
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
