using MassTransit;
using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>
/// Database faults are retried; an <see cref="InvalidLeadCreatedException"/> never is (it goes straight to
/// <c>new-lead-triggers_error</c>).
/// </summary>
internal sealed class LeadCreatedConsumerDefinition : ConsumerDefinition<LeadCreatedConsumer>
{
    public const string QueueName = "new-lead-triggers";

    private readonly DatabaseRetryOptions _retry;

    public LeadCreatedConsumerDefinition(IOptions<DatabaseRetryOptions> retry)
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 16;
        _retry = retry.Value;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<LeadCreatedConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseDatabaseRetry(_retry, retry => retry.Ignore<InvalidLeadCreatedException>());
}
