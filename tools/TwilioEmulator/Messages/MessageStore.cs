using Microsoft.Extensions.Options;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>
/// Thread-safe in-memory messages in arrival order. Bounded: past MaxStoredMessages the oldest go, in batches so
/// eviction stays cheap at 100k+ messages.
/// </summary>
internal sealed class MessageStore(IOptions<EmulatorOptions> options) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredMessage> _bySid = new(StringComparer.Ordinal);
    private readonly List<StoredMessage> _ordered = [];
    private long _nextSequence;
    private CancellationTokenSource _generation = new();

    /// <summary>Cancelled by <see cref="Clear"/>, which stops the delivery of messages that no longer exist.</summary>
    public CancellationToken Generation
    {
        get
        {
            lock (_gate)
            {
                return _generation.Token;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ordered.Count;
            }
        }
    }

    /// <param name="create">Builds the message from its sequence number; runs under the store's lock so order is arrival order.</param>
    public StoredMessage Add(Func<long, StoredMessage> create)
    {
        lock (_gate)
        {
            var message = create(++_nextSequence);
            _bySid.Add(message.Sid, message);
            _ordered.Add(message);
            var max = options.Value.MaxStoredMessages;
            if (_ordered.Count > max + Math.Max(1, max / 8))
            {
                var excess = _ordered.Count - max;
                foreach (var evicted in _ordered.Take(excess))
                {
                    _bySid.Remove(evicted.Sid);
                }

                _ordered.RemoveRange(0, excess);
            }

            return message;
        }
    }

    public StoredMessage? Find(string sid)
    {
        lock (_gate)
        {
            return _bySid.GetValueOrDefault(sid);
        }
    }

    /// <summary>A snapshot, oldest first.</summary>
    public IReadOnlyList<StoredMessage> Snapshot(Func<StoredMessage, bool>? filter = null)
    {
        lock (_gate)
        {
            return filter is null ? [.. _ordered] : [.. _ordered.Where(filter)];
        }
    }

    /// <summary>A snapshot, newest first, as Twilio lists.</summary>
    public IReadOnlyList<StoredMessage> NewestFirst(Func<StoredMessage, bool> filter)
    {
        lock (_gate)
        {
            var result = new List<StoredMessage>();
            for (var i = _ordered.Count - 1; i >= 0; i--)
            {
                if (filter(_ordered[i]))
                {
                    result.Add(_ordered[i]);
                }
            }

            return result;
        }
    }

    public void Clear()
    {
        CancellationTokenSource previous;
        lock (_gate)
        {
            _bySid.Clear();
            _ordered.Clear();
            previous = _generation;
            _generation = new CancellationTokenSource();
        }

        // Not disposed: deliveries may still be linking to its token; cancelled is all they need to see.
        previous.Cancel();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _generation.Cancel();
            _generation.Dispose();
        }
    }
}
