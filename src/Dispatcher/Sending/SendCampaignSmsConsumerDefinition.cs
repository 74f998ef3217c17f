using MassTransit;
using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// The campaign lane: its own queue (<c>send-campaign-sms</c>), and at most
/// <see cref="DispatcherOptions.CampaignConcurrentMessageLimit"/> of its SMS in flight, so the main lane
/// (<see cref="SendSmsConsumerDefinition"/>) keeps the rest of the Dispatcher's slots however long a campaign drains.
/// </summary>
internal sealed class SendCampaignSmsConsumerDefinition : ConsumerDefinition<SendCampaignSmsConsumer>
{
    private readonly int _concurrentMessageLimit;
    private readonly DatabaseRetryOptions _retry;

    public SendCampaignSmsConsumerDefinition(IOptions<DispatcherOptions> options, IOptions<DatabaseRetryOptions> retry)
    {
        EndpointName = "send-campaign-sms";
        _concurrentMessageLimit = options.Value.CampaignConcurrentMessageLimit;
        _retry = retry.Value;
        ConcurrentMessageLimit = _concurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SendCampaignSmsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Math.Min(_concurrentMessageLimit * 2, ushort.MaxValue);
        }

        endpointConfigurator.UseDatabaseRetry(_retry);
    }
}
