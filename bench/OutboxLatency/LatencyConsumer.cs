using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using SmsRemarketing.Contracts;

namespace SmsRemarketing.OutboxLatency;

/// <summary>Notes when each event arrives, by its MessageId (the outbox row's id).</summary>
internal sealed class LatencyConsumer(ConcurrentDictionary<Guid, long> arrivals) : IConsumer<SendSmsRequested>
{
    public Task Consume(ConsumeContext<SendSmsRequested> context)
    {
        arrivals.TryAdd(context.MessageId!.Value, Stopwatch.GetTimestamp());
        return Task.CompletedTask;
    }
}
