using Microsoft.Extensions.Options;

namespace SmsRemarketing.TwilioEmulator.Callbacks;

internal static class CallbacksSetup
{
    public static IServiceCollection AddStatusCallbacks(this IServiceCollection services)
    {
        services.AddSingleton<CallbackLog>();
        services.AddSingleton<StatusCallbackSender>();
        services.AddSingleton<DeliverySimulator>();
        services.AddHttpClient(StatusCallbackSender.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = TimeSpan.FromMilliseconds(sp.GetRequiredService<IOptions<EmulatorOptions>>().Value.CallbackTimeoutMs));
        return services;
    }
}
