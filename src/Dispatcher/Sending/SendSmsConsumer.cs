using MassTransit;
using SmsRemarketing.Contracts;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// Sends the SMS of a queued message. Idempotent on the message: the row's guarded transition from <c>queued</c>
/// lets exactly one delivery of the event through, however often RabbitMQ delivers it.
/// </summary>
internal sealed class SendSmsConsumer(SmsSender sender) : IConsumer<SendSmsRequested>
{
    public Task Consume(ConsumeContext<SendSmsRequested> context)
    {
        DispatcherTelemetry.ConsumerLag.Record((DateTimeOffset.UtcNow - context.Message.RequestedAt).TotalMilliseconds);
        return sender.SendAsync(context.Message.MessageId, context.CancellationToken);
    }
}
