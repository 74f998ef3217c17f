using System.Text;
using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace SmsRemarketing.Scheduler.Tests;

/// <summary>
/// Publishes as a system without MassTransit would: a plain AMQP client writing MassTransit's JSON envelope to the
/// message type's exchange.
/// </summary>
internal sealed class RawAmqp : IAsyncDisposable
{
    public const string LeadCreatedExchange = "SmsRemarketing.Contracts:LeadCreated";
    public const string ContentType = "application/vnd.masstransit+json";

    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private RawAmqp(IConnection connection, IChannel channel) => (_connection, _channel) = (connection, channel);

    public static async Task<RawAmqp> ConnectAsync(string url)
    {
        var connection = await new ConnectionFactory { Uri = new Uri(url) }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new RawAmqp(connection, channel);
    }

    /// <summary>The envelope of a LeadCreated, with <paramref name="message"/> as its <c>message</c>.</summary>
    public static string Envelope(Guid messageId, JsonObject message) => new JsonObject
    {
        ["messageId"] = messageId.ToString(),
        ["messageType"] = new JsonArray("urn:message:SmsRemarketing.Contracts:LeadCreated"),
        ["sentTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["message"] = message,
    }.ToJsonString();

    public async Task PublishAsync(string body, string exchange = LeadCreatedExchange, Guid? messageId = null)
    {
        var properties = new BasicProperties { ContentType = ContentType, DeliveryMode = DeliveryModes.Persistent, MessageId = messageId?.ToString() };
        await _channel.BasicPublishAsync(exchange, "", mandatory: false, properties, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The messages in <paramref name="queue"/> (taken off it), with the fault reason MassTransit adds.</summary>
    public async Task<List<(string Body, string? FaultMessage)>> DrainAsync(string queue)
    {
        var drained = new List<(string, string?)>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } result)
        {
            var fault = result.BasicProperties.Headers?.TryGetValue("MT-Fault-Message", out var value) == true && value is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : null;
            drained.Add((Encoding.UTF8.GetString(result.Body.Span), fault));
        }

        return drained;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
