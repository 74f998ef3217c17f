using Microsoft.Extensions.Options;

namespace SmsRemarketing.TwilioEmulator.Accounts;

internal static class AccountServiceCollectionExtensions
{
    public static IServiceCollection AddEmulatorAccount(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmulatorOptions>().Bind(configuration.GetSection(EmulatorOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmulatorOptions>, EmulatorOptionsValidator>();
        return services;
    }
}
