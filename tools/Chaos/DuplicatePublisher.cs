using System.Text.Json;
using MassTransit;
using Npgsql;
using SmsRemarketing.Contracts;

namespace SmsRemarketing.Chaos;

/// <summary>
/// A second publisher of the same events: every outbox row the relays published is published again, straight to
/// RabbitMQ with the same MessageId, as a relay that crashed between the broker's confirm and its own mark would.
/// The consumers must treat the copy as the event they already handled.
/// </summary>
internal sealed class DuplicatePublisher(NpgsqlDataSource database, Uri rabbitMqUrl, DateTimeOffset since) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions OutboxJson = new(JsonSerializerDefaults.Web);
    private readonly HashSet<Guid> _republished = [];
    private IBusControl? _bus;

    public int Republished => _republished.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var credentials = rabbitMqUrl.UserInfo.Split(':', 2);
        var virtualHost = rabbitMqUrl.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(rabbitMqUrl.AbsolutePath.TrimStart('/'));
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(rabbitMqUrl.Host, (ushort)rabbitMqUrl.Port, virtualHost, host =>
        {
            host.Username(Uri.UnescapeDataString(credentials[0]));
            host.Password(credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "");
            host.PublisherConfirmation = true;
        }));
        await _bus.StartAsync(cancellationToken);
    }

    /// <summary>Republishes until cancelled, then once more, so every event published before the end is copied.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await RepublishNewAsync(CancellationToken.None);
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await RepublishNewAsync(CancellationToken.None);
    }

    private async Task RepublishNewAsync(CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT id, message_type, body FROM outbox_messages
            WHERE published_at IS NOT NULL AND created_at >= $1 ORDER BY sequence
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = since });
        var rows = new List<(Guid Id, string Type, string Body)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                if (!_republished.Contains(id))
                {
                    rows.Add((id, reader.GetString(1), reader.GetString(2)));
                }
            }
        }

        await Task.WhenAll(rows.Select(row => PublishAsync(row.Id, row.Type, row.Body, cancellationToken)));
        _republished.UnionWith(rows.Select(r => r.Id));
    }

    private Task PublishAsync(Guid id, string type, string body, CancellationToken cancellationToken) => type switch
    {
        _ when type == typeof(SendSmsRequested).FullName =>
            _bus!.Publish(JsonSerializer.Deserialize<SendSmsRequested>(body, OutboxJson)!, context => context.MessageId = id, cancellationToken),
        _ when type == typeof(RunLeadAgeSweep).FullName =>
            _bus!.Publish(JsonSerializer.Deserialize<RunLeadAgeSweep>(body, OutboxJson)!, context => context.MessageId = id, cancellationToken),
        _ => _bus!.Publish(JsonSerializer.Deserialize<LeadCreated>(body, OutboxJson)!, context => context.MessageId = id, cancellationToken),
    };

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }
    }
}
