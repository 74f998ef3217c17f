using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using SmsRemarketing.Contracts;

namespace SmsRemarketing.Messaging.Tests;

/// <summary>What the recording consumer saw: every delivery, duplicates included.</summary>
public sealed class Received
{
    private readonly ConcurrentQueue<Delivery> _deliveries = new();

    public IReadOnlyCollection<Delivery> Deliveries => _deliveries;

    public void Add(Delivery delivery) => _deliveries.Enqueue(delivery);

    public int CountOf(Guid messageId) => _deliveries.Count(d => d.MessageId == messageId);

    public sealed record Delivery(Guid? MessageId, SendSmsRequested Message, ActivityTraceId? TraceId);
}

/// <summary>A consumer that only records, so tests can assert exactly what the broker delivered.</summary>
public sealed class RecordingConsumer(Received received) : IConsumer<SendSmsRequested>
{
    public Task Consume(ConsumeContext<SendSmsRequested> context)
    {
        received.Add(new Received.Delivery(context.MessageId, context.Message, Activity.Current?.TraceId));
        return Task.CompletedTask;
    }
}
