using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// Concurrency and retry policy of <see cref="SendSmsConsumer"/>. The retry here covers the database only;
/// Twilio's retries live in <see cref="SmsSender"/>, never in two layers.
/// </summary>
internal sealed class SendSmsConsumerDefinition : ConsumerDefinition<SendSmsConsumer>
{
    public SendSmsConsumerDefinition(IOptions<DispatcherOptions> options)
    {
        EndpointName = "send-sms";
        ConcurrentMessageLimit = options.Value.ConcurrentMessageLimit;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<SendSmsConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<NpgsqlException>();
            retry.Handle<TimeoutException>();
            retry.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
    }
}
