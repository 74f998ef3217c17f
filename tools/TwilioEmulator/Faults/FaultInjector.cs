using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SmsRemarketing.TwilioEmulator.Faults;

/// <summary>Current knobs, the one-shot queue, the create rate limiter and the seedable random draws.</summary>
internal sealed class FaultInjector
{
    private readonly FaultSettings _startup;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<OneShotFault> _queue = new();
    private readonly Lock _gate = new();
    private FaultSettings _current;
    private Random _random;
    private double _tokens;
    private long _lastRefill;

    public FaultInjector(IOptions<FaultSettings> startup, TimeProvider time)
    {
        _startup = startup.Value;
        _time = time;
        _current = _startup;
        _random = NewRandom(_startup.Seed);
        ResetBucket();
    }

    public FaultSettings Current => Volatile.Read(ref _current);

    public IReadOnlyList<OneShotFault> Pending => [.. _queue];

    public void Replace(FaultSettings settings)
    {
        lock (_gate)
        {
            Volatile.Write(ref _current, settings);
            _random = NewRandom(settings.Seed);
            ResetBucket();
        }
    }

    /// <summary>Back to the start-up configuration, with an empty one-shot queue.</summary>
    public void Reset()
    {
        _queue.Clear();
        Replace(_startup);
    }

    public void Enqueue(OneShotFault fault, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _queue.Enqueue(fault);
        }
    }

    public OneShotFault? TakeNext() => _queue.TryDequeue(out var fault) ? fault : null;

    /// <summary>Token bucket refilled at MaxCreatesPerSecond, holding at most one second's worth.</summary>
    public bool TryAcquireCreateSlot()
    {
        if (Current.MaxCreatesPerSecond is not { } rate || rate <= 0)
        {
            return true;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var capacity = Math.Max(1, rate);
            _tokens = Math.Min(capacity, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * rate));
            _lastRefill = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }

    public bool Roll(double probability)
    {
        if (probability <= 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _random.NextDouble() < probability;
        }
    }

    private void ResetBucket()
    {
        _tokens = Math.Max(1, _current.MaxCreatesPerSecond ?? 0);
        _lastRefill = _time.GetTimestamp();
    }

    private static Random NewRandom(int? seed) => seed is { } s ? new Random(s) : new Random();
}
