using MassTransit;
using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// Concurrency and retry policy of <see cref="SendSmsConsumer"/>. The retry here covers the database only;
/// Twilio's retries live in <see cref="SmsSender"/>, never in two layers.
/// </summary>
internal sealed class SendSmsConsumerDefinition : ConsumerDefinition<SendSmsConsumer>
{
    private readonly int _concurrentMessageLimit;
    private readonly DatabaseRetryOptions _retry;

    public SendSmsConsumerDefinition(IOptions<DispatcherOptions> options, IOptions<DatabaseRetryOptions> retry)
    {
        EndpointName = "send-sms";
        _concurrentMessageLimit = options.Value.ConcurrentMessageLimit;
        _retry = retry.Value;
        ConcurrentMessageLimit = _concurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SendSmsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // A second window's worth on hand, so a slot that frees up never waits for the broker.
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Math.Min(_concurrentMessageLimit * 2, ushort.MaxValue);
        }

        endpointConfigurator.UseDatabaseRetry(_retry);
    }
}
