using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SmsRemarketing.ServiceDefaults;

/// <summary>
/// Writes a health report as JSON: the overall status and each check's status, so a person sees what is down; with
/// <c>details</c>, each check's description too (it may name hosts and ports, or carry an exception's text).
/// </summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report, DateTimeOffset? checkedAt, bool details)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["duration_ms"] = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            ["checks"] = report.Entries.ToDictionary(
                entry => entry.Key,
                entry => details
                    ? new Dictionary<string, string?> { ["status"] = entry.Value.Status.ToString(), ["description"] = entry.Value.Description }
                    : new Dictionary<string, string?> { ["status"] = entry.Value.Status.ToString() }),
        };
        if (checkedAt is { } at)
        {
            body["checked_at"] = at;
        }

        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
