using MassTransit;
using SmsRemarketing.Contracts;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// Sends a campaign's SMS: <see cref="SendSmsConsumer"/>'s work on the campaign lane (its own queue and concurrency,
/// <see cref="SendCampaignSmsConsumerDefinition"/>), so a campaign draining never holds a manual send or a trigger's back.
/// </summary>
internal sealed class SendCampaignSmsConsumer(SmsSender sender) : IConsumer<SendCampaignSmsRequested>
{
    public Task Consume(ConsumeContext<SendCampaignSmsRequested> context)
    {
        DispatcherTelemetry.ConsumerLag.Record((DateTimeOffset.UtcNow - context.Message.RequestedAt).TotalMilliseconds);
        return sender.SendAsync(context.Message.MessageId, context.CancellationToken);
    }
}
