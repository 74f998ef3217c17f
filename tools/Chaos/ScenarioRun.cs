using Npgsql;

namespace SmsRemarketing.Chaos;

/// <summary>What a scenario's fault can use while the load runs.</summary>
internal sealed class ScenarioRun(
    SendLoad load, StackControl stack, TenantApi tenant, NpgsqlDataSource database, IReadOnlyList<Uri> apis, Guid triggerId, Random random,
    TimeSpan longOutage, CancellationToken cancellation)
{
    private Task? _sweep;

    public SendLoad Load => load;

    public StackControl Stack => stack;

    public Random Random => random;

    /// <summary>How long the long-outage scenario keeps PostgreSQL stopped (<c>CHAOS_LONG_OUTAGE_SECONDS</c>).</summary>
    public TimeSpan LongOutage => longOutage;

    public CancellationToken Cancellation => cancellation;

    /// <summary>Done once the sweep started by <see cref="StartSweep"/> (if any) was asked for by both paths.</summary>
    public Task Sweep => _sweep ?? Task.CompletedTask;

    /// <summary>
    /// Activates the lead_age trigger: the Scheduler (Quartz tick, then its RunLeadAgeSweep consumer) sweeps it; once
    /// it has planned the sweep, an operator's POST /triggers/{id}/sweep runs the same sweep on another path at the
    /// same time, so once-only firings are tested too.
    /// </summary>
    public void StartSweep() => _sweep ??= SweepAsync();

    private async Task SweepAsync()
    {
        await tenant.ActivateTriggerAsync(apis[0], triggerId, cancellation);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !await PlannedAsync())
        {
            await Task.Delay(250, cancellation);
        }

        await tenant.SweepAsync(apis[^1], triggerId, cancellation);
    }

    private async Task<bool> PlannedAsync()
    {
        try
        {
            await using var command = database.CreateCommand("SELECT EXISTS (SELECT 1 FROM sweep_runs WHERE trigger_id = $1)");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = triggerId });
            return (bool)(await command.ExecuteScalarAsync(cancellation))!;
        }
        catch (NpgsqlException)
        {
            return false; // the database may be the thing that is failing
        }
    }
}
