using System.Diagnostics;
using System.Globalization;
using Npgsql;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.Chaos;

/// <summary>
/// One scenario from a clean slate to its result: a new client with credits, leads (a few opted out), an inactive
/// lead_age trigger whose leads are backdated and a draft campaign to a segment of leads of its own; the emulator
/// emptied (and given the scenario's faults); the load and the fault at the same time (the fault starts the sweep and
/// schedules the campaign); then quiescence and the checks.
/// </summary>
internal sealed class ScenarioRunner(ChaosSettings settings, HttpClient http, NpgsqlDataSource database, EmulatorAdminClient emulator)
{
    private const int LeadAgeDays = 3;
    private const int OptOutEvery = 25;

    // Twilio's test numbers the emulator refuses as Twilio does (400, nothing stored): 21211 invalid To, 21614 not a mobile.
    private static readonly string[] TwilioRefuses = ["+15005550001", "+15005550009"];

    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var random = new Random(HashCode.Combine(settings.Seed, scenario.Name.Length, scenario.Name[0]));
        var stack = new StackControl(settings);
        var apis = new List<Uri> { settings.ApiUrl };
        var extras = new List<(string Name, int Port)>();
        if (scenario.ScaleOut)
        {
            extras.AddRange(settings.ExtraApiPorts.Select((p, i) => ($"api-{i + 2}", p)));
            extras.AddRange(settings.ExtraDispatcherPorts.Select((p, i) => ($"dispatcher-{i + 2}", p)));
            extras.AddRange(settings.ExtraSchedulerPorts.Select((p, i) => ($"scheduler-{i + 2}", p)));
            await Task.WhenAll(extras.Select(e => stack.StartAsync(e.Name, e.Port)));
            apis.AddRange(settings.ExtraApiPorts.Select(p => new Uri($"http://127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}/")));
        }

        try
        {
            await emulator.ResetAsync(cancellationToken);
            if (scenario.EmulatorFaults is { } faults)
            {
                await emulator.SetFaultsAsync(faults, cancellationToken);
            }

            var since = DateTimeOffset.UtcNow;
            var tenant = new TenantApi(http, settings);
            var sweepLeadCount = Math.Max(30, settings.Sends / 10);
            // Twice what the load, the sweep and the campaign could cost: the campaign's reservation never meets a shortfall.
            var credits = (settings.Sends + sweepLeadCount + settings.CampaignRecipients) * 2L;
            await tenant.CreateClientAsync($"chaos-{scenario.Name}-{since.ToUnixTimeSeconds()}", credits, cancellationToken);
            var sendLeads = await CreateLeadsAsync(tenant, "send", Math.Max(20, settings.Sends / 5), null, cancellationToken);
            var sweepLeads = await CreateLeadsAsync(tenant, "sweep", sweepLeadCount, null, cancellationToken);
            await BackdateAsync(sweepLeads, cancellationToken);
            var template = await tenant.CreateTemplateAsync("chaos sweep", "Hello {{first_name}}, a chaos lead_age message.", cancellationToken);
            var trigger = await tenant.CreateInactiveLeadAgeTriggerAsync(template, LeadAgeDays, cancellationToken);
            var campaign = await CreateCampaignAsync(tenant, scenario.Name, cancellationToken);

            // A client's patience outlasts the longest outage a scenario causes: giving up is not the service's failure.
            var giveUpAfter = TimeSpan.FromMinutes(5) > settings.LongOutage + TimeSpan.FromMinutes(2)
                ? TimeSpan.FromMinutes(5)
                : settings.LongOutage + TimeSpan.FromMinutes(2);
            var load = new SendLoad(tenant, apis, sendLeads, scenario.Name, settings.Sends, settings.Concurrency, giveUpAfter);
            var run = new ScenarioRun(load, stack, tenant, database, apis, trigger, campaign, random, settings.LongOutage, cancellationToken);
            await using var duplicates = new DuplicatePublisher(database, settings.RabbitMqUrl, since);
            using var stopDuplicates = new CancellationTokenSource();
            var republishing = Task.CompletedTask;
            if (scenario.DuplicatePublisher)
            {
                await duplicates.StartAsync(cancellationToken);
                republishing = duplicates.RunAsync(stopDuplicates.Token);
            }

            await Task.WhenAll(load.RunAsync(cancellationToken), scenario.Fault(run));
            var loaded = Stopwatch.GetElapsedTime(started);
            run.StartSweep(); // a load that outran its fault still sweeps and sends its campaign
            run.StartCampaign();
            await Task.WhenAll(run.Sweep, run.Campaign);

            var invariants = new Invariants(database, emulator, tenant);
            var quiet = await invariants.WaitForQuiescenceAsync(
                tenant.ClientId, trigger, sweepLeads.Count, campaign.Id, settings.QuiescenceDeadline, cancellationToken);
            if (scenario.DuplicatePublisher)
            {
                await stopDuplicates.CancelAsync();
                await republishing;
                Console.Error.WriteLine($"  republished {duplicates.Republished} events with their MessageIds ({duplicates.RepublishedByType})");
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // the copies reach the consumers
                quiet = await invariants.WaitForQuiescenceAsync(
                    tenant.ClientId, trigger, sweepLeads.Count, campaign.Id, settings.QuiescenceDeadline, cancellationToken);
            }

            if (!quiet)
            {
                Console.Error.WriteLine($"  not quiet after {settings.QuiescenceDeadline}: checking what there is");
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  load and fault done at {loaded.TotalSeconds:F0} s, quiet (campaign completed) at {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s"));

            var counters = await emulator.GetCountersAsync(cancellationToken);
            Console.Error.WriteLine(
                $"  {load.Retries} send attempts retried (no answer, 5xx or 429); Twilio emulator: {counters.CreateRequests} creates, " +
                $"{counters.Created} stored, {counters.ServerErrors} answered 500, {counters.RateLimited} answered 429, " +
                $"{counters.LostResponses} lost responses, {counters.ListRequests} list lookups");
            var result = await invariants.CheckAsync(
                scenario.Name, tenant.ClientId, trigger, sweepLeads.Count, campaign.Id, credits, load.AcceptedIds, load.Refused,
                Stopwatch.GetElapsedTime(started), cancellationToken);
            Console.Error.WriteLine($"  campaign: {result.Campaign?.Summary}");
            return scenario.DuplicatePublisher && duplicates.CampaignSendsRepublished == 0
                ? result with { Violations = [.. result.Violations, "the duplicate publisher republished no SendCampaignSmsRequested: campaign sends went uncopied"] }
                : result;
        }
        finally
        {
            foreach (var (name, _) in extras)
            {
                await stack.StopAsync(name);
            }
        }
    }

    /// <summary>
    /// The campaign's leads (<c>CHAOS_CAMPAIGN_RECIPIENTS</c>, two of them numbers Twilio refuses, so some of its
    /// messages are debited and then refunded), its segment and template, and the draft. Every
    /// <see cref="OptOutEvery"/>th of its leads is opted out while it sends, not before (a segment leaves opted-out
    /// leads out, so an earlier opt-out would never meet the campaign).
    /// </summary>
    private async Task<ScenarioCampaign> CreateCampaignAsync(TenantApi tenant, string scenario, CancellationToken cancellationToken)
    {
        const string Cohort = "campaign";
        var leads = await CreateLeadsAsync(tenant, Cohort, settings.CampaignRecipients - TwilioRefuses.Length, Cohort, cancellationToken);
        foreach (var (phone, i) in TwilioRefuses.Select((p, i) => (p, i)))
        {
            await tenant.CreateLeadAsync(phone, string.Create(CultureInfo.InvariantCulture, $"refused{i}"), Cohort, cancellationToken);
        }

        var segment = await tenant.CreateCohortSegmentAsync(Cohort, cancellationToken);
        var template = await tenant.CreateTemplateAsync("chaos campaign", $"Hi {{{{first_name}}}}, a chaos {scenario} campaign message.", cancellationToken);
        var id = await tenant.CreateCampaignAsync($"chaos {scenario}", segment, template, cancellationToken);
        return new ScenarioCampaign(id, [.. leads.Where((_, i) => i % OptOutEvery == OptOutEvery / 2)]);
    }

    /// <summary>
    /// Leads with phones unique within the client; unless they are a campaign's <paramref name="cohort"/>, every
    /// <see cref="OptOutEvery"/>th is opted out (its messages end suppressed).
    /// </summary>
    private async Task<List<Guid>> CreateLeadsAsync(TenantApi tenant, string kind, int count, string? cohort, CancellationToken cancellationToken)
    {
        var offset = kind switch { "send" => 2_000_000, "sweep" => 5_000_000, _ => 8_000_000 };
        var leads = new Guid[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var phone = string.Create(CultureInfo.InvariantCulture, $"+1415{offset + i}");
                leads[i] = await tenant.CreateLeadAsync(phone, string.Create(CultureInfo.InvariantCulture, $"{kind}{i}"), cohort, cancellationToken);
                if (cohort is null && i % OptOutEvery == OptOutEvery - 1)
                {
                    await tenant.OptOutAsync(leads[i], cancellationToken);
                }
            }
        }));
        return [.. leads];
    }

    /// <summary>The sweep's leads were created <see cref="LeadAgeDays"/> days ago (UTC, the client's zone): today's sweep is theirs.</summary>
    private async Task BackdateAsync(List<Guid> leads, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            UPDATE leads SET created_at = (date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => $2) + interval '12 hours') AT TIME ZONE 'UTC'
            WHERE id = ANY($1)
            """);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. leads] });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = LeadAgeDays });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
