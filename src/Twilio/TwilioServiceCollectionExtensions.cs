using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace SmsRemarketing.Twilio;

public static class TwilioServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TwilioOptions"/> (section "Twilio", validated at start) and the typed
    /// <see cref="TwilioMessagesClient"/>. Resilience handlers, including ones added for every client through
    /// <c>ConfigureHttpClientDefaults</c>, are stripped from this client: a retried POST can send an SMS twice.
    /// </summary>
    /// <returns>The client's builder, for telemetry or a primary handler; do not add retries to it.</returns>
    public static IHttpClientBuilder AddTwilioClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<TwilioOptions>()
            .Bind(configuration.GetSection(TwilioOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TwilioOptions>, TwilioOptionsValidator>();

        return services.AddHttpClient<TwilioMessagesClient>(client =>
            {
                // The client enforces TwilioOptions.RequestTimeout itself, so it can tell a timeout from a cancellation.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, _) =>
            {
                // Runs after the host-wide defaults, so it strips e.g. ServiceDefaults' AddStandardResilienceHandler.
                for (var i = handlers.Count - 1; i >= 0; i--)
                {
                    if (handlers[i] is ResilienceHandler)
                    {
                        handlers.RemoveAt(i);
                    }
                }
            });
    }
}
