using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Hosting;

/// <summary>
/// A token bucket per API key (per client, so a flood on one key never slows another), per admin, and per IP
/// address for unauthenticated calls. Health probes have a bucket per address of their own
/// (<see cref="RateLimitOptions.HealthRequestsPerSecond"/>), so a tenant's flood never fails its load balancer's probe
/// and a flood of probes never costs more than their allowance.
/// </summary>
internal static class ApiRateLimiting
{
    /// <summary>
    /// Requests that read or write a whole audience (counts, estimates, schedules, sweeps): a bucket per client of their
    /// own (<see cref="RateLimitOptions.HeavyRequestBurst"/>, <see cref="RateLimitOptions.HeavyRequestsPerMinute"/>), on top
    /// of the key's, so a loop of them cannot take the database from the client's own sends or from other clients.
    /// </summary>
    public const string HeavyPolicy = "heavy";

    /// <summary>Puts the endpoint under <see cref="HeavyPolicy"/>.</summary>
    public static RouteHandlerBuilder RequireHeavyRateLimit(this RouteHandlerBuilder endpoint) => endpoint.RequireRateLimiting(HeavyPolicy);

    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetTokenBucketLimiter($"health:{context.Connection.RemoteIpAddress}",
                        _ => Bucket(settings.HealthRequestsPerSecond * 2, settings.HealthRequestsPerSecond, TimeSpan.FromSeconds(1)));
                }

                return RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context),
                    _ => Bucket(settings.RateLimitBurst, settings.RateLimitPerSecond, TimeSpan.FromSeconds(1)));
            });
            options.AddPolicy(HeavyPolicy, context =>
            {
                // Without a client there is nothing heavy to do: authorization refuses it next (the address's bucket applies).
                if (context.User.FindFirstValue(ApiAuthentication.ClientIdClaim) is null)
                {
                    return RateLimitPartition.GetNoLimiter("heavy:anonymous");
                }

                var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return RateLimitPartition.GetTokenBucketLimiter($"heavy:{PartitionOf(context)}",
                    _ => Bucket(settings.HeavyRequestBurst, settings.HeavyRequestsPerMinute, TimeSpan.FromMinutes(1)));
            });
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var response = rejected.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == HeavyPolicy
                            ? $"This key's allowance of heavy requests (segment counts, estimates, schedules, sweeps) is spent; retry after {seconds} s."
                            : $"Rate limit exceeded for this key (or, without one, this address); retry after {seconds} s.",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>A bucket of <paramref name="burst"/> requests refilled by <paramref name="perPeriod"/> each period; no queue: past it, 429.</summary>
    private static TokenBucketRateLimiterOptions Bucket(int burst, int perPeriod, TimeSpan period) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perPeriod,
        ReplenishmentPeriod = period,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static string PartitionOf(HttpContext context) =>
        context.User.FindFirstValue(ApiAuthentication.ClientIdClaim) is { } clientId ? $"client:{clientId}"
        : context.User.IsInRole(ApiAuthentication.AdminScheme) ? "admin"
        : $"ip:{context.Connection.RemoteIpAddress}";
}
