using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SmsRemarketing.TwilioEmulator.Callbacks;

/// <summary>Callback attempts in send order, the oldest dropped past MaxCallbackLogEntries.</summary>
internal sealed class CallbackLog(IOptions<EmulatorOptions> options)
{
    private readonly ConcurrentQueue<CallbackRecord> _records = new();

    public void Add(CallbackRecord record)
    {
        _records.Enqueue(record);
        while (_records.Count > options.Value.MaxCallbackLogEntries && _records.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<CallbackRecord> Snapshot(string? messageSid) =>
        [.. _records.Where(r => messageSid is null || r.MessageSid == messageSid)];

    public void Clear() => _records.Clear();
}
