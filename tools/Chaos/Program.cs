using System.Globalization;
using Npgsql;
using SmsRemarketing.Chaos;
using SmsRemarketing.TwilioEmulator.Inspection;

// make chaos: each scenario of issue 10 against the private stack scripts/chaos.sh started. One line per scenario on
// stdout (the counts), the details on stderr; exit 1 when any promise is broken.
var settings = ChaosSettings.FromEnvironment();
var unknown = settings.Scenarios.Except(ScenarioCatalog.Names).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenarios: {string.Join(", ", unknown)}; known: {string.Join(", ", ScenarioCatalog.Names)}");
    return 2;
}

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
using var emulatorHttp = new HttpClient { BaseAddress = settings.EmulatorUrl, Timeout = TimeSpan.FromMinutes(2) };
using var emulator = new EmulatorAdminClient(emulatorHttp);
await using var database = NpgsqlDataSource.Create(settings.DatabaseConnection);
var runner = new ScenarioRunner(settings, http, database, emulator);

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"chaos: {settings.Sends} sends per scenario, concurrency {settings.Concurrency}, seed {settings.Seed}"));
var failures = 0;
foreach (var scenario in ScenarioCatalog.All.Where(s => settings.Scenarios.Contains(s.Name)))
{
    Console.Error.WriteLine($"scenario {scenario.Name}...");
    ScenarioResult result;
    try
    {
        result = await runner.RunAsync(scenario, CancellationToken.None);
    }
    catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or NpgsqlException or TimeoutException)
    {
        // The scenario could not be carried out (a restart that never became healthy): a failure, and the next runs.
        result = new ScenarioResult(scenario.Name, 0, 0, 0, 0, 0, 0, [$"the scenario could not run: {exception.Message}"], TimeSpan.Zero);
        await new StackControl(settings).EnsureRunningAsync();
    }

    foreach (var violation in result.Violations.Take(20))
    {
        Console.Error.WriteLine($"  BROKEN: {violation}");
    }

    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(result.Passed ? "passed" : "FAILED")} in {result.Duration.TotalSeconds:F0} s"));
    Console.WriteLine(result.Line);
    failures += result.Passed ? 0 : 1;
}

return failures == 0 ? 0 : 1;
