using MassTransit;
using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>Database faults are retried, as for <see cref="LeadCreatedConsumerDefinition"/>.</summary>
internal sealed class LeadConfirmedConsumerDefinition : ConsumerDefinition<LeadConfirmedConsumer>
{
    public const string QueueName = "confirmed-lead-triggers";

    private readonly DatabaseRetryOptions _retry;

    public LeadConfirmedConsumerDefinition(IOptions<DatabaseRetryOptions> retry)
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 16;
        _retry = retry.Value;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<LeadConfirmedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseDatabaseRetry(_retry);
}
