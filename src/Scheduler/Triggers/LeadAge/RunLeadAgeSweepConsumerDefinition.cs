using MassTransit;
using Npgsql;

namespace SmsRemarketing.Scheduler.Triggers.LeadAge;

/// <summary>Database faults are retried; a retried sweep resumes where the firings say it stopped.</summary>
internal sealed class RunLeadAgeSweepConsumerDefinition : ConsumerDefinition<RunLeadAgeSweepConsumer>
{
    public RunLeadAgeSweepConsumerDefinition()
    {
        EndpointName = "run-lead-age-sweep";
        ConcurrentMessageLimit = 4;
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<RunLeadAgeSweepConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UseMessageRetry(retry =>
        {
            retry.Handle<NpgsqlException>();
            retry.Handle<TimeoutException>();
            retry.Exponential(10, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        });
    }
}
