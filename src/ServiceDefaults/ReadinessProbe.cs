using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SmsRemarketing.ServiceDefaults;

/// <summary>
/// <c>/health/ready</c>'s checks (database, broker), run at most once per <see cref="HealthOptions.ReadinessCacheDuration"/>
/// and shared by the callers that ask meanwhile: a flood of probes costs the database one query a second, not one each.
/// </summary>
public sealed class ReadinessProbe(HealthCheckService health, IOptions<HealthOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private CheckedReadiness? _last;

    public async Task<CheckedReadiness> CheckAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_last) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have checked while this one waited.
            if (Fresh(_last) is { } justChecked)
            {
                return justChecked;
            }

            var report = await health.CheckHealthAsync(check => check.Tags.Contains(ServiceDefaultsExtensions.ReadyTag), cancellationToken);
            _last = new CheckedReadiness(report, time.GetUtcNow());
            return _last;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private CheckedReadiness? Fresh(CheckedReadiness? last) =>
        last is not null && time.GetUtcNow() - last.CheckedAt < options.Value.ReadinessCacheDuration ? last : null;
}

/// <summary>A readiness report and when its checks ran.</summary>
public sealed record CheckedReadiness(HealthReport Report, DateTimeOffset CheckedAt);

/// <summary>The health endpoints' settings, bound from the <c>Health</c> section and validated at start.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>How long a readiness report is reused. Zero runs the checks for every probe.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReadinessCacheDuration { get; set; } = TimeSpan.FromSeconds(1);
}
