using MassTransit;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ, the transactional outbox (writer interceptor, relay, housekeeping) and the
    /// consumers <paramref name="configureConsumers"/> registers. Needs <c>AddSmsDatabase</c>.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var services = builder.Services;
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => Uri.TryCreate(o.Url, UriKind.Absolute, out _), "RabbitMq:Url must be an absolute amqp:// URL.")
            .ValidateOnStart();
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DatabaseRetryOptions>().BindConfiguration(DatabaseRetryOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MinDelay <= o.MaxDelay, "DatabaseRetry:MinDelay must not exceed DatabaseRetry:MaxDelay.")
            .ValidateOnStart();

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxMessageTypes>();
        services.AddSingleton<OutboxRelayWakeup>();
        services.AddSingleton<IInterceptor, OutboxCommitInterceptor>();
        services.AddHostedService<OutboxRelay>();
        services.AddHostedService<MessagingHousekeeping>();
        services.AddHostedService<OutboxMonitor>();

        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit 8.4+ reports usage to its vendor over the internet by default; our services call no one
            // they were not configured to (and the report fails and logs a warning where there is no internet).
            bus.ConfigureUsageTelemetryOptions(telemetry => telemetry.Enabled = false);
            configureConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var address = options.Address;
                rabbit.Host(address.Host, address.Port, address.VirtualHost, host =>
                {
                    host.Username(address.Username);
                    host.Password(address.Password);
                    host.PublisherConfirmation = true;
                });
                rabbit.PrefetchCount = options.PrefetchCount;
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
