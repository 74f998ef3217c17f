using MassTransit;
using Npgsql;

namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>
/// Database faults are retried; an <see cref="InvalidLeadCreatedException"/> never is (it goes straight to
/// <c>new-lead-triggers_error</c>).
/// </summary>
internal sealed class LeadCreatedConsumerDefinition : ConsumerDefinition<LeadCreatedConsumer>
{
    public const string QueueName = "new-lead-triggers";

    public LeadCreatedConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<LeadCreatedConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Ignore<InvalidLeadCreatedException>();
            retry.Handle<NpgsqlException>();
            retry.Handle<TimeoutException>();
            retry.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        });
    }
}
