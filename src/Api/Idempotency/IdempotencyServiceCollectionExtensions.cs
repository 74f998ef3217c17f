namespace SmsRemarketing.Api.Idempotency;

internal static class IdempotencyServiceCollectionExtensions
{
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddSingleton<IdempotentRequests>();
        services.AddHostedService<IdempotencyHousekeeping>();
        return services;
    }
}
