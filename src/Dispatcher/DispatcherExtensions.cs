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
        // A message of a client with no sender of its own goes from the default one: without it, the first such send
        // would fail, long after start.
        builder.Services.AddOptions<TwilioOptions>()
            .Validate(HasDefaultSender,
                "The Dispatcher needs a default sender: set Twilio:DefaultFrom or Twilio:MessagingServiceSid (used for every client without a From number or Messaging Service of its own).")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new MessageTransitions(
            services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<IServiceScopeFactory>(),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<IOptions<DispatcherOptions>>().Value.MaxBatch));
        builder.Services.AddSingleton<SenderRateLimiter>();
        builder.Services.AddSingleton<SmsSender>();
        builder.Services.AddHostedService<StuckMessageReconciler>();
        return builder;
    }

    private static bool HasDefaultSender(TwilioOptions options) =>
        !string.IsNullOrWhiteSpace(options.DefaultFrom) || !string.IsNullOrWhiteSpace(options.MessagingServiceSid);
}
