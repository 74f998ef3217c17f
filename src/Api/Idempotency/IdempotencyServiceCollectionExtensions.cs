namespace SmsRemarketing.Api.Idempotency;

internal static class IdempotencyServiceCollectionExtensions
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IdempotentRequests>();
        services.AddScoped<IdempotentSaves>();
        services.AddHostedService<IdempotencyHousekeeping>();
        return services;
    }
}
