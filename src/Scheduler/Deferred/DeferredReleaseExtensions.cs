using Microsoft.Extensions.DependencyInjection.Extensions;
using SmsRemarketing.Domain;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Scheduler.Deferred;

internal static class DeferredReleaseExtensions
{
    /// <summary>The releaser of deferred (<c>scheduled</c>) messages, in every Scheduler replica.</summary>
    public static IHostApplicationBuilder AddDeferredRelease(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSmsDomain();
        builder.Services.AddOptions<DeferredReleaseOptions>().BindConfiguration(DeferredReleaseOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddScoped<DeferredRelease>();
        builder.Services.AddHostedService<DeferredMessageReleaser>();
        return builder;
    }
}
