using Microsoft.Extensions.DependencyInjection.Extensions;
using SmsRemarketing.Domain;
using SmsRemarketing.Domain.Campaigns;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Scheduler.Campaigns;

internal static class CampaignDeliveryExtensions
{
    /// <summary>The delivery of scheduled campaigns, in every Scheduler replica.</summary>
    public static IHostApplicationBuilder AddCampaignDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSmsDomain();
        builder.Services.AddOptions<CampaignDeliveryOptions>().BindConfiguration(CampaignDeliveryOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddScoped<DeferredRelease>();
        builder.Services.AddScoped<CampaignDelivery>();
        builder.Services.AddHostedService<CampaignDeliveryLoop>();
        return builder;
    }
}
