using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SmsRemarketing.Scheduler.Redrive;

internal static class QueuedMessageRedriveExtensions
{
    /// <summary>The re-driver of messages left <c>queued</c>, and the oldest-queued gauge, in every Scheduler replica.</summary>
    public static IHostApplicationBuilder AddQueuedMessageRedrive(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<QueuedMessageRedriveOptions>().BindConfiguration(QueuedMessageRedriveOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<QueuedMessageRedriver>();
        return builder;
    }
}
