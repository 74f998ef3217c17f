using Npgsql;

namespace SmsRemarketing.Chaos;

/// <summary>What a scenario's fault can use while the load runs.</summary>
internal sealed class ScenarioRun(
    SendLoad load, StackControl stack, TenantApi tenant, NpgsqlDataSource database, IReadOnlyList<Uri> apis, Guid triggerId,
    ScenarioCampaign campaign, Random random, TimeSpan longOutage, CancellationToken cancellation)
{
    private Task? _sweep;
    private Task? _campaign;

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

    /// <summary>Done once the campaign started by <see cref="StartCampaign"/> (if any) was scheduled and its opt-outs made.</summary>
    public Task Campaign => _campaign ?? Task.CompletedTask;

    /// <summary>
    /// Schedules the campaign through the Api (its messages fan out and drain while the fault happens), then opts a few
    /// of its leads out through another Api: their messages end suppressed, or sent when already claimed.
    /// </summary>
    public void StartCampaign() => _campaign ??= CampaignAsync();

    /// <summary>
    /// Waits until <paramref name="fraction"/> of the campaign's messages left <c>scheduled</c> (released, in flight or
    /// done), so a fault can meet them on their way; gives up after a minute (the fault then comes anyway).
    /// </summary>
    public async Task WaitForCampaignAsync(double fraction)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        double progress;
        while ((progress = await CampaignProgressAsync()) < fraction && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellation);
        }

        Console.Error.WriteLine($"  {progress:P0} of the campaign's messages released or done at the fault");
    }

    private async Task CampaignAsync()
    {
        await tenant.ScheduleCampaignAsync(apis[0], campaign.Id, cancellation);
        foreach (var lead in campaign.OptOutWhileSending)
        {
            await tenant.OptOutAsync(apis[^1], lead, cancellation);
        }
    }

    private async Task<double> CampaignProgressAsync()
    {
        try
        {
            await using var command = database.CreateCommand(
                "SELECT count(*) FILTER (WHERE status <> 'scheduled'), count(*) FROM messages WHERE campaign_id = $1");
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = campaign.Id });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            await reader.ReadAsync(cancellation);
            return reader.GetInt64(1) == 0 ? 0 : (double)reader.GetInt64(0) / reader.GetInt64(1);
        }
        catch (NpgsqlException)
        {
            return 0; // the database may be the thing that is failing
        }
    }

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
