using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SmsRemarketing.Domain.Campaigns;
using SmsRemarketing.Domain.Consent;
using SmsRemarketing.Domain.Messages;

namespace SmsRemarketing.Domain;

public static class DomainServiceCollectionExtensions
{
    /// <summary>The domain services the Api and the trigger consumers share.</summary>
    public static IServiceCollection AddSmsDomain(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutgoingMessages>();
        services.TryAddSingleton<DoubleOptIn>();
        services.TryAddSingleton<CampaignPlanner>();
        services.TryAddSingleton<CampaignScheduling>();
        services.TryAddSingleton<CampaignControl>();
        return services;
    }
}
