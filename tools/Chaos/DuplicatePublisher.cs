using System.Text.Json;
using MassTransit;
using Npgsql;
using SmsRemarketing.Contracts;

namespace SmsRemarketing.Chaos;

/// <summary>
/// A second publisher of the same events: every outbox row the relays published is published again, straight to
/// RabbitMQ with the same MessageId and as the contract its row names (so a <see cref="SendCampaignSmsRequested"/>
/// goes to the campaign lane), as a relay that crashed between the broker's confirm and its own mark would. The
/// consumers must treat the copy as the event they already handled.
/// </summary>
internal sealed class DuplicatePublisher(NpgsqlDataSource database, Uri rabbitMqUrl, DateTimeOffset since) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions OutboxJson = new(JsonSerializerDefaults.Web);
    private readonly HashSet<Guid> _republished = [];
    private readonly Dictionary<string, int> _byType = [];
    private IBusControl? _bus;

    public int Republished => _republished.Count;

    public int CampaignSendsRepublished => _byType.GetValueOrDefault(nameof(SendCampaignSmsRequested));

    /// <summary>How many of each contract were published again, e.g. "SendSmsRequested 5280, SendCampaignSmsRequested 288".</summary>
    public string RepublishedByType => string.Join(", ", _byType.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value}"));

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

        await Task.WhenAll(rows.Select(row => PublishAsync(row.Id, ContractOf(row.Type), row.Body, cancellationToken)));
        _republished.UnionWith(rows.Select(r => r.Id));
        foreach (var row in rows)
        {
            var name = ContractOf(row.Type).Name;
            _byType[name] = _byType.GetValueOrDefault(name) + 1;
        }
    }

    // The relay publishes only contracts (OutboxMessageTypes): a row naming anything else would be dead-lettered, not published.
    private static Type ContractOf(string name) =>
        typeof(SendSmsRequested).Assembly.GetType(name, throwOnError: false) is { } type && type.Namespace == typeof(SendSmsRequested).Namespace
            ? type
            : throw new InvalidOperationException($"The outbox published '{name}', which is not a contract.");

    private Task PublishAsync(Guid id, Type type, string body, CancellationToken cancellationToken) =>
        _bus!.Publish(JsonSerializer.Deserialize(body, type, OutboxJson)!, type, context => context.MessageId = id, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }
    }
}
