using System.Threading.Channels;

namespace SmsRemarketing.Data;

/// <summary>
/// Lets many concurrent callers share one database transaction (group commit, done by the application): a caller
/// adds its item and awaits its own result; one loop takes every item waiting, up to <c>maxBatch</c>, and runs them
/// as one batch. Under light load a batch is a single item and nothing waits for company; under heavy load one
/// commit (one WAL flush) serves a hundred items — the Dispatcher's claims and debits, its 'sent' marks, the Api's
/// status callbacks — instead of one flush each. A batch that throws is run again one item at a time, so a bad
/// item fails alone.
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _run;
    private readonly int _maxBatch;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <param name="run">Runs a batch; returns one result per item, in the items' order.</param>
    /// <param name="maxBatch">The most items one batch takes.</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> run, int maxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _run = run;
        _maxBatch = maxBatch;
        // The loop serves every caller, so it must not run in the execution context (the trace above all) of
        // whichever caller happened to create it: its spans would all land in that one request's trace.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(LoopAsync);
        }
    }

    public Task<TResult> RunAsync(TItem item, CancellationToken cancellationToken)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);
        // The item may still run after the caller stops waiting; every batch is written so that this is harmless
        // (a claim left in 'sending' is the reconciler's, a 'sent' mark is the truth).
        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (_pending.Reader.TryRead(out var left))
        {
            left.Result.TrySetCanceled(_stopping.Token);
        }

        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _pending.Reader.WaitToReadAsync(_stopping.Token))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _pending.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await RunBatchAsync(batch);
        }
    }

    private async Task RunBatchAsync(List<Pending> batch)
    {
        try
        {
            var results = await _run([.. batch.Select(pending => pending.Item)], _stopping.Token);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result.TrySetResult(results[i]);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            batch.ForEach(pending => pending.Result.TrySetCanceled(_stopping.Token));
        }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var pending in batch)
            {
                await RunBatchAsync([pending]);
            }
        }
        catch (Exception exception)
        {
            batch[0].Result.TrySetException(exception);
        }
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Result);
}
