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
/// Twilio's own, whose signatures hold, are never limited (Twilio does not retry a callback that got an answer). Over
/// all addresses together, keys this Api has not seen belong to a client share one allowance of look-ups
/// (<see cref="AuthOptions.GlobalFailedAuthenticationBurst"/>): a flood from many addresses cannot make the database
/// look up more than that, while tenants whose keys it knows are served as usual. The
/// address is the caller's (<c>X-Forwarded-For</c> is read only from a trusted proxy, <see cref="HostingOptions.TrustedProxies"/>).
/// </summary>
/// <remarks>
/// A token bucket of its own rather than System.Threading.RateLimiting's: a failure taken in advance is given back when
/// the request authenticates, and a first failure is spent only once it has happened; that one can do neither.
/// </remarks>
internal sealed class FailedAuthenticationLimiter(IOptions<AuthOptions> options, ApiKeyCache keys, IProblemDetailsService problems, TimeProvider time)
    : IMiddleware
{
    /// <summary>Addresses tracked at once before full (idle) buckets are dropped.</summary>
    private const int PruneAbove = 10_000;

    /// <summary>Where Twilio posts, authenticated by its signature (<c>X-Twilio-Signature</c>).</summary>
    private const string TwilioWebhooks = "/webhooks/twilio";

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Bucket _everyone = new(options.Value.GlobalFailedAuthenticationBurst, options.Value.GlobalFailedAuthenticationsPerSecond, time.GetTimestamp());
    private int _heldRefusals;

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
        // An address that has failed before takes a failure in advance, given back if the request authenticates: so
        // its concurrent requests cannot all pass on the one failure left (64 connections would get 64 look-ups).
        var taken = _buckets.TryGetValue(address, out var bucket);
        if (taken && bucket!.TryTake(now, time) is { } wait)
        {
            await RefuseAsync(context, wait, settings, "from this address");
            return;
        }

        // A key this Api has not seen belong to a client takes one from all addresses' allowance the same way, so a
        // flood from many addresses costs the database at most that allowance; known keys are looked up as usual.
        var unknownKey = !webhook && ApiKeys.PrefixOf(headers[ApiAuthentication.TenantHeader].ToString()) is { } prefix && !keys.IsKnown(prefix);
        if (unknownKey && _everyone.TryTake(now, time) is { } everyoneWait)
        {
            if (taken)
            {
                bucket!.GiveBack();
            }

            await RefuseAsync(context, everyoneWait, settings, "to this Api");
            return;
        }

        await next(context);
        var failed = context.Response.StatusCode == (webhook ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized);
        if (unknownKey && !failed)
        {
            _everyone.GiveBack();
        }

        if (taken && !failed)
        {
            bucket!.GiveBack();
        }
        else if (!taken && failed)
        {
            if (_buckets.Count > PruneAbove)
            {
                Prune(now);
            }

            _buckets.GetOrAdd(address, _ => new Bucket(settings.FailedAuthenticationBurst, settings.FailedAuthenticationsPerSecond, now)).Spend(now, time);
        }
    }

    /// <summary>
    /// 429 with Retry-After, held for <see cref="AuthOptions.RefusalDelay"/> first: a caller that keeps its
    /// connections busy (as flooding tools do) then sends a request per connection per delay, not thousands a second,
    /// and the refusals stop costing the Api's CPU. At most <see cref="AuthOptions.MaxDelayedRefusals"/> are held at
    /// once; past that a refusal is answered at once and its connection closed.
    /// </summary>
    private async Task RefuseAsync(HttpContext context, TimeSpan wait, AuthOptions settings, string whose)
    {
        if (settings.RefusalDelay > TimeSpan.Zero)
        {
            if (Interlocked.Increment(ref _heldRefusals) <= settings.MaxDelayedRefusals)
            {
                try
                {
                    await Task.Delay(settings.RefusalDelay, time, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    return;
                }
                finally
                {
                    Interlocked.Decrement(ref _heldRefusals);
                }
            }
            else
            {
                Interlocked.Decrement(ref _heldRefusals);
                context.Response.Headers.Connection = "close";
            }
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemWriter.WriteAsync(problems, context, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"Too many failed authentications {whose}; retry after {seconds} s.");
    }

    private void Prune(long now)
    {
        foreach (var (address, bucket) in _buckets)
        {
            if (bucket.IsFull(now, time))
            {
                _buckets.TryRemove(new KeyValuePair<string, Bucket>(address, bucket));
            }
        }
    }

    /// <summary>Failed authentications left: at most <paramref name="burst"/>, earned back at <paramref name="perSecond"/>.</summary>
    private sealed class Bucket(int burst, int perSecond, long at)
    {
        private readonly Lock _lock = new();
        private double _left = burst;
        private long _at = at;

        /// <summary>Takes a failure and returns null when one is left; otherwise how long until one is.</summary>
        public TimeSpan? TryTake(long now, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, time);
                if (_left >= 1)
                {
                    _left--;
                    return null;
                }

                return TimeSpan.FromSeconds((1 - _left) / perSecond);
            }
        }

        /// <summary>Returns a failure taken in advance by a request that did not fail.</summary>
        public void GiveBack()
        {
            lock (_lock)
            {
                _left = Math.Min(burst, _left + 1);
            }
        }

        public void Spend(long now, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, time);
                _left = Math.Max(0, _left - 1);
            }
        }

        public bool IsFull(long now, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(now, time);
                return _left >= burst;
            }
        }

        private void Refill(long now, TimeProvider time)
        {
            // Requests read the clock before queueing here: an earlier reading arriving late earns nothing.
            if (now > _at)
            {
                var elapsed = time.GetElapsedTime(_at, now).TotalSeconds;
                _left = Math.Min(burst, _left + (elapsed * perSecond));
                _at = now;
            }
        }
    }
}
