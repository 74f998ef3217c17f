using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SmsRemarketing.ServiceDefaults;

/// <summary>What every host of the service does the same way: configuration, logs, telemetry, health.</summary>
public static class ServiceDefaultsExtensions
{
    public const string LiveTag = "live";
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddWellKnownEnvironmentVariables();

        // JSON logs with the trace and span ids, so a log line can be found from its trace and back.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME, when set, names the service (the SDK reads it); otherwise the assembly does.
            .ConfigureResource(resource =>
            {
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(builder.Environment.ApplicationName);
                }
            })
            .WithTracing(tracing => tracing
                .AddSource("SmsRemarketing.*", "MassTransit")
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(metrics => metrics
                .AddMeter("SmsRemarketing.*", "MassTransit", "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        // Export only where an endpoint is configured (the standard OTEL_* variables); otherwise run quietly.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ReadinessProbe>();
        builder.Services.AddHostedService<StartupDependencyProbe>();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: database and broker answer too (checked at most
    /// once per <see cref="HealthOptions.ReadinessCacheDuration"/>). Each check's description (exception text, hosts,
    /// ports) is shown only to a caller on this machine (loopback, not forwarded by a proxy) or one that
    /// <paramref name="mayReadDetails"/> admits; anyone else sees the statuses.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, Func<HttpContext, bool>? mayReadDetails = null)
    {
        bool ShowDetails(HttpContext context) =>
            context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address) || mayReadDetails?.Invoke(context) == true;

        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = (context, report) => HealthReportWriter.WriteAsync(context, report, checkedAt: null, ShowDetails(context)),
        });
        app.MapGet("/health/ready", async (HttpContext context, ReadinessProbe probe) =>
        {
            var checkedReadiness = await probe.CheckAsync(context.RequestAborted);
            context.Response.StatusCode = checkedReadiness.Report.Status == HealthStatus.Unhealthy
                ? StatusCodes.Status503ServiceUnavailable
                : StatusCodes.Status200OK;
            context.Response.Headers.CacheControl = "no-store, no-cache";
            await HealthReportWriter.WriteAsync(context, checkedReadiness.Report, checkedReadiness.CheckedAt, ShowDetails(context));
        }).ExcludeFromDescription();
        return app;
    }
}
