using MassTransit;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// A send lane's endpoint: its queue, how many of its SMS are in flight at once, and the database-only retry. The
/// retry here covers the database only; Twilio's retries live in <see cref="SmsSender"/>, never in two layers.
/// </summary>
internal abstract class SmsLaneDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly int _concurrentMessageLimit;
    private readonly DatabaseRetryOptions _retry;

    protected SmsLaneDefinition(string endpointName, int concurrentMessageLimit, DatabaseRetryOptions retry)
    {
        EndpointName = endpointName;
        _concurrentMessageLimit = concurrentMessageLimit;
        _retry = retry;
        ConcurrentMessageLimit = concurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // A second window's worth on hand, so a slot that frees up never waits for the broker.
        if (endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = Math.Min(_concurrentMessageLimit * 2, ushort.MaxValue);
        }

        endpointConfigurator.UseDatabaseRetry(_retry);
    }
}
