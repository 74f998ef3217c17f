using System.ComponentModel.DataAnnotations;

namespace SmsRemarketing.Messaging;

/// <summary>Where the broker is. Bound from the <c>RabbitMq</c> section (or <c>RABBITMQ_URL</c>).</summary>
public sealed class RabbitMqOptions
{
    public const string SectionName = "RabbitMq";

    /// <summary><c>amqp://user:password@host:port/vhost</c>; an empty path is the default vhost <c>/</c>.</summary>
    [Required]
    public string Url { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>
    /// Messages a consumer endpoint may hold unacknowledged. MassTransit's default (2 × cores, at most 16)
    /// leaves consumers behind a batching publisher; raise it for throughput.
    /// </summary>
    [Range(1, 10_000)]
    public ushort PrefetchCount { get; set; } = 64;

    internal RabbitMqAddress Address => RabbitMqAddress.Parse(Url);
}
