using Microsoft.Extensions.Options;
using SmsRemarketing.Domain.Campaigns;

namespace SmsRemarketing.Scheduler.Campaigns;

/// <summary>
/// Every <see cref="CampaignDeliveryOptions.Interval"/>, one <see cref="CampaignDelivery"/> round for each open
/// campaign. Every replica runs it; a campaign's row lock (SKIP LOCKED) gives each campaign to one of them at a time.
/// </summary>
internal sealed partial class CampaignDeliveryLoop(
    IServiceScopeFactory scopes, IOptions<CampaignDeliveryOptions> options, TimeProvider time, ILogger<CampaignDeliveryLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limits = new CampaignDeliveryLimits(options.Value.BatchSize, options.Value.LaneBacklog);
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                await RoundAsync(limits, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A failed campaign round wrote nothing (one transaction); the next tick tries again.
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RoundAsync(CampaignDeliveryLimits limits, CancellationToken cancellationToken)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<CampaignDelivery>().DueAsync(options.Value.CampaignsPerRound, cancellationToken);
        }

        foreach (var campaignId in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            var released = await scope.ServiceProvider.GetRequiredService<CampaignDelivery>().RunAsync(campaignId, limits, cancellationToken);
            if (released > 0)
            {
                LogReleased(logger, campaignId, released);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Campaign {CampaignId}: {Released} messages queued")]
    private static partial void LogReleased(ILogger logger, Guid campaignId, int released);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A campaign delivery round failed; retrying on the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
