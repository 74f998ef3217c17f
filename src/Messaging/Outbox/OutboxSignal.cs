using System.Threading.Channels;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>
/// Wakes this process's relay when a transaction that wrote outbox rows commits. Signals coalesce: however
/// many commits happen while the relay is busy, it wakes once and drains what is pending.
/// </summary>
public sealed class OutboxSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Set while a relay runs in this process; otherwise writers notify other processes instead.</summary>
    public bool LocalRelayRunning { get; internal set; }

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a signal or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return;
        }

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval elapsed: the caller looks for rows written by other processes.
        }
    }
}
