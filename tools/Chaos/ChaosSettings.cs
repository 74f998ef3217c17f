using System.Globalization;

namespace SmsRemarketing.Chaos;

/// <summary>
/// What scripts/chaos.sh hands the driver through the environment: the private stack's addresses (never the shared
/// servers: the script chooses the ports), the size of the load and of the campaign, and which scenarios to run.
/// </summary>
internal sealed record ChaosSettings(
    string RootDir,
    string RunDir,
    Uri ApiUrl,
    Uri EmulatorUrl,
    string AdminKey,
    string DatabaseConnection,
    Uri RabbitMqUrl,
    IReadOnlyList<int> ExtraApiPorts,
    IReadOnlyList<int> ExtraDispatcherPorts,
    IReadOnlyList<int> ExtraSchedulerPorts,
    int Sends,
    int CampaignRecipients,
    int Concurrency,
    IReadOnlyList<string> Scenarios,
    TimeSpan QuiescenceDeadline,
    TimeSpan LongOutage,
    int Seed)
{
    public static ChaosSettings FromEnvironment()
    {
        static string Required(string name) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set (run make chaos).");
        static string Optional(string name, string fallback) =>
            Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
        static int[] Ports(string name) =>
            [.. Optional(name, "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))];

        // Enough for its opt-outs and Twilio's refused numbers to leave most of it sent.
        var campaignRecipients = int.Parse(Optional("CHAOS_CAMPAIGN_RECIPIENTS", "300"), CultureInfo.InvariantCulture);
        if (campaignRecipients < 10)
        {
            throw new InvalidOperationException("CHAOS_CAMPAIGN_RECIPIENTS is at least 10.");
        }

        var scenarios = Optional("CHAOS_SCENARIOS", string.Join(',', ScenarioCatalog.Names))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ChaosSettings(
            Required("SMSR_ROOT_DIR"),
            Required("SMSR_RUN_DIR"),
            new Uri(Required("API_URL")),
            new Uri(Required("TWILIO_BASE_URL")),
            Required("ADMIN_KEY"),
            Required("CHAOS_DATABASE"),
            new Uri(Required("RABBITMQ_URL")),
            Ports("CHAOS_EXTRA_API_PORTS"),
            Ports("CHAOS_EXTRA_DISPATCHER_PORTS"),
            Ports("CHAOS_EXTRA_SCHEDULER_PORTS"),
            int.Parse(Optional("CHAOS_SENDS", "5000"), CultureInfo.InvariantCulture),
            campaignRecipients,
            int.Parse(Optional("CHAOS_CONCURRENCY", "16"), CultureInfo.InvariantCulture),
            scenarios,
            TimeSpan.FromSeconds(int.Parse(Optional("CHAOS_DEADLINE_SECONDS", "900"), CultureInfo.InvariantCulture)),
            // Twice the consumers' former retry budget (about a minute) by default, so CI can afford it; the issue's
            // five minutes is CHAOS_LONG_OUTAGE_SECONDS=300.
            TimeSpan.FromSeconds(int.Parse(Optional("CHAOS_LONG_OUTAGE_SECONDS", "120"), CultureInfo.InvariantCulture)),
            int.Parse(Optional("CHAOS_SEED", Environment.TickCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
    }
}
