using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SmsRemarketing.Domain.Triggers;

public static class TriggerServiceCollectionExtensions
{
    /// <summary>The trigger automation (firings, new_lead, lead_age sweeps) on top of the shared domain services.</summary>
    public static IServiceCollection AddTriggerAutomation(this IServiceCollection services)
    {
        services.AddSmsDomain();
        services.TryAddSingleton<TriggerFirer>();
        services.TryAddSingleton<NewLeadTriggers>();
        services.TryAddSingleton<LeadAgeSweep>();
        return services;
    }
}
