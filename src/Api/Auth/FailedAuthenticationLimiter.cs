using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Hosting;

namespace SmsRemarketing.Api.Auth;

/// <summary>
/// Runs before authentication: an address whose keys keep failing (401s beyond
/// <see cref="AuthOptions.FailedAuthenticationBurst"/>, earned back at <see cref="AuthOptions.FailedAuthenticationsPerSecond"/>)
/// gets 429 for every keyed request, without its key being looked up. So a flood of forged keys costs the database
/// nothing past the burst, and another address's tenant is served as usual. Twilio's webhooks count the same way: a
/// request refused for its signature (403) is a failed authentication, so forged callbacks are refused cheaply while
/// Twilio's own, whose signatures hold, are never limited (Twilio does not retry a callback that got an answer). The
/// address is the caller's (<c>X-Forwarded-For</c> is read only from a trusted proxy, <see cref="HostingOptions.TrustedProxies"/>).
/// </summary>
/// <remarks>
/// A token bucket of its own rather than System.Threading.RateLimiting's: that one refills in fractions, so "is a
/// whole failure left?" cannot be asked of it without spending one.
/// </remarks>
internal sealed class FailedAuthenticationLimiter(IOptions<AuthOptions> options, IProblemDetailsService problems, TimeProvider time) : IMiddleware
{
    /// <summary>Addresses tracked at once before full (idle) buckets are dropped.</summary>
    private const int PruneAbove = 10_000;

    /// <summary>Where Twilio posts, authenticated by its signature (<c>X-Twilio-Signature</c>).</summary>
    private const string TwilioWebhooks = "/webhooks/twilio";

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var headers = context.Request.Headers;
        var webhook = context.Request.Path.StartsWithSegments(TwilioWebhooks, StringComparison.OrdinalIgnoreCase);
        if (!webhook && !headers.ContainsKey(ApiAuthentication.TenantHeader) && !headers.ContainsKey(ApiAuthentication.AdminHeader))
        {
            await next(context);
            return;
        }

        var settings = options.Value;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "";
        var now = time.GetTimestamp();
        if (_buckets.TryGetValue(address, out var bucket) && bucket.WaitFor(now, settings, time) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ProblemWriter.WriteAsync(problems, context, StatusCodes.Status429TooManyRequests, "Too many requests",
                $"Too many failed authentications from this address; retry after {seconds} s.");
            return;
        }

        await next(context);
        if (context.Response.StatusCode == (webhook ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized))
        {
            if (_buckets.Count > PruneAbove)
            {
                Prune(now, settings);
            }

            _buckets.GetOrAdd(address, _ => new Bucket(settings.FailedAuthenticationBurst, now)).Spend(now, settings, time);
        }
    }

    private void Prune(long now, AuthOptions settings)
    {
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsFull(now, settings, time))
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(address, bucket));
            }
        }
    }

    private sealed class Bucket(double failuresLeft, long at)
    {
        private readonly Lock _lock = new();
        private double _left = failuresLeft;
        private long _at = at;

        /// <summary>Null when a failure is still allowed; otherwise how long until one is.</summary>
        public TimeSpan? WaitFor(long now, AuthOptions settings, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, settings, time);
                return _left >= 1 ? null : TimeSpan.FromSeconds((1 - _left) / settings.FailedAuthenticationsPerSecond);
            }
        }

        public void Spend(long now, AuthOptions settings, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, settings, time);
                _left = Math.Max(0, _left - 1);
            }
        }

        public bool IsFull(long now, AuthOptions settings, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, settings, time);
                return _left >= settings.FailedAuthenticationBurst;
            }
        }

        private void Refill(long now, AuthOptions settings, TimeProvider time)
        {
            // Requests read the clock before queueing here: an earlier reading arriving late earns nothing.
            if (now > _at)
            {
                var elapsed = time.GetElapsedTime(_at, now).TotalSeconds;
                _left = Math.Min(settings.FailedAuthenticationBurst, _left + (elapsed * settings.FailedAuthenticationsPerSecond));
                _at = now;
            }
        }
    }
}
