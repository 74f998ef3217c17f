using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests;

/// <summary>The real Scheduler host (consumers, Quartz, outbox relay) on a test's database and vhost, with the test's clock.</summary>
public sealed class SchedulerHost : IAsyncDisposable
{
    /// <summary>A sweep time that is never due, for tests where Quartz must not emit sweeps of its own.</summary>
    public const string NeverCron = "0 0 9 1 1 ? 2099";

    private readonly WebApplicationFactory<Program> _factory;

    private SchedulerHost(WebApplicationFactory<Program> factory) => _factory = factory;

    public IServiceProvider Services => _factory.Services;

    public ReceivedMessages Received => Services.GetRequiredService<ReceivedMessages>();

    /// <summary>Waits until <paramref name="queue"/> has handled <paramref name="count"/> deliveries.</summary>
    public Task WaitForReceivedAsync(string queue, int count) =>
        Eventually.WaitAsync(() => Received.Count(queue) >= count, $"{count} deliveries handled on {queue}");

    public static async Task<SchedulerHost> StartAsync(
        TestDatabase database, TestBroker broker, TimeProvider? time = null, string sweepCron = NeverCron,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        // The Dispatcher's queue stands in for the Dispatcher, so the SendSmsRequested the Scheduler queues are routable.
        await broker.BindQueueAsync("SmsRemarketing.Contracts:SendSmsRequested", "send-sms");
        await broker.BindQueueAsync("SmsRemarketing.Contracts:SendCampaignSmsRequested", "send-campaign-sms");
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Database", database.ConnectionString);
            web.UseSetting("RabbitMq:Url", broker.Url);
            web.UseSetting("Outbox:PollInterval", "00:00:00.100");
            web.UseSetting("Scheduler:SweepCron", sweepCron);
            web.UseSetting("Scheduler:PlanInterval", "01:00:00");
            web.UseSetting("Scheduler:ReleaseInterval", "00:00:00.100");
            web.UseSetting("Scheduler:Campaigns:Interval", "00:00:00.100");
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services =>
            {
                services.AddSingleton<ReceivedMessages>();
                services.AddReceiveObserver(provider => provider.GetRequiredService<ReceivedMessages>());
                if (time is not null)
                {
                    services.AddSingleton(time);
                }
            });
        });
        _ = factory.Server;
        var bus = factory.Services.GetRequiredService<IBusControl>();
        await Eventually.WaitAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, "the Scheduler's bus");
        return new SchedulerHost(factory);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
