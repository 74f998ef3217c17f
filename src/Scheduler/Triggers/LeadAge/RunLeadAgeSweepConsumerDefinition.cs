using MassTransit;
using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Scheduler.Triggers.LeadAge;

/// <summary>Database faults are retried; a retried sweep resumes where the firings say it stopped.</summary>
internal sealed class RunLeadAgeSweepConsumerDefinition : ConsumerDefinition<RunLeadAgeSweepConsumer>
{
    private readonly DatabaseRetryOptions _retry;

    public RunLeadAgeSweepConsumerDefinition(IOptions<DatabaseRetryOptions> retry)
    {
        EndpointName = "run-lead-age-sweep";
        ConcurrentMessageLimit = 4;
        _retry = retry.Value;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RunLeadAgeSweepConsumer> consumerConfigurator,
        IRegistrationContext context) =>
        endpointConfigurator.UseDatabaseRetry(_retry);
}
