using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using SmsRemarketing.Domain.Messages.Lifecycle;
using SmsRemarketing.Dispatcher.Reconciliation;
using SmsRemarketing.Dispatcher.Sending;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Dispatcher;

internal static class DispatcherExtensions
{
    /// <summary>The send path: Twilio's client, the sender, per-sender pacing and the reconciler.</summary>
    public static IHostApplicationBuilder AddSending(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddTwilioClient(builder.Configuration);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new MessageTransitions(
            services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<IOptions<DispatcherOptions>>().Value.MaxBatch));
        builder.Services.AddSingleton<SenderRateLimiter>();
        builder.Services.AddSingleton<SmsSender>();
        builder.Services.AddHostedService<StuckMessageReconciler>();
        return builder;
    }
}
