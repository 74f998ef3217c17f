using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Chaos;

/// <summary>
/// The failures of issue 10 and the long database outage, each done while the load runs. <see cref="Scenario.Fault"/> waits for the load's
/// progress, starts the lead_age sweep and schedules the campaign just before the failure (so the sweep's messages and
/// the campaign's, fanning out and draining, meet it too), then fails.
/// </summary>
internal static class ScenarioCatalog
{
    public static readonly IReadOnlyList<Scenario> All =
    [
        new("rabbitmq-outage", async run =>
        {
            await run.Load.WaitForProgressAsync(0.3, run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
            await run.Stack.StopRabbitMqAsync();
            await Task.Delay(TimeSpan.FromSeconds(15), run.Cancellation);
            await run.Stack.StartRabbitMqAsync();
        }),
        new("dispatcher-kill", async run =>
        {
            await run.Load.WaitForProgressAsync(0.2 + (run.Random.NextDouble() * 0.25), run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
            // The first kill meets the campaign's messages claimed, in flight and queued on its lane.
            await run.WaitForCampaignAsync(0.1 + (run.Random.NextDouble() * 0.3));
            await KillAndRestartAsync(run, "dispatcher");
            await run.Load.WaitForProgressAsync(0.55 + (run.Random.NextDouble() * 0.3), run.Cancellation);
            await KillAndRestartAsync(run, "dispatcher");
        }),
        new("api-kill", async run =>
        {
            await run.Load.WaitForProgressAsync(0.35, run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
            await Task.Delay(TimeSpan.FromMilliseconds(300 + run.Random.Next(700)), run.Cancellation);
            await KillAndRestartAsync(run, "api");
        }),
        new("postgres-restart", async run =>
        {
            await run.Load.WaitForProgressAsync(0.35, run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
            await Task.Delay(TimeSpan.FromMilliseconds(300 + run.Random.Next(700)), run.Cancellation);
            await run.Stack.RestartPostgresAsync();
        }),
        // PostgreSQL away for longer than any retry budget, while sends are queued: the consumers hold their deliveries
        // (never into _error), the relays keep their rows, and every accepted send goes out once when it is back.
        new("postgres-long-outage", async run =>
        {
            await run.Load.WaitForProgressAsync(0.35, run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
            await Task.Delay(TimeSpan.FromMilliseconds(300 + run.Random.Next(700)), run.Cancellation);
            await run.Stack.StopPostgresAsync();
            Console.Error.WriteLine($"  PostgreSQL stopped for {run.LongOutage.TotalSeconds} s");
            await Task.Delay(run.LongOutage, run.Cancellation);
            await run.Stack.StartPostgresAsync();
        }),
        new("twilio-faults", async run =>
        {
            await run.Load.WaitForProgressAsync(0.3, run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
        })
        {
            EmulatorFaults = new FaultSettings { ServerErrorRate = 0.10, RateLimitedRate = 0.05, LostResponseRate = 0.02, RateLimitRetryAfterSeconds = 1 },
        },
        new("duplicate-publish", async run =>
        {
            await run.Load.WaitForProgressAsync(0.3, run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
        })
        {
            DuplicatePublisher = true,
        },
        new("scale-out", async run =>
        {
            await run.Load.WaitForProgressAsync(0.3, run.Cancellation);
            run.StartSweep();
            run.StartCampaign();
        })
        {
            ScaleOut = true,
        },
    ];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    private static async Task KillAndRestartAsync(ScenarioRun run, string service)
    {
        run.Stack.Kill(service);
        await Task.Delay(TimeSpan.FromMilliseconds(500 + run.Random.Next(2000)), run.Cancellation);
        await run.Stack.StartAsync(service);
    }
}

/// <summary>A named failure: what to do during the load, and how the stack and the emulator are set up for it.</summary>
internal sealed record Scenario(string Name, Func<ScenarioRun, Task> Fault)
{
    public FaultSettings? EmulatorFaults { get; init; }

    /// <summary>Publish every outbox event a second time, with its MessageId, straight to the broker.</summary>
    public bool DuplicatePublisher { get; init; }

    /// <summary>Two Apis, three Dispatchers and two Schedulers against one database and broker.</summary>
    public bool ScaleOut { get; init; }
}
