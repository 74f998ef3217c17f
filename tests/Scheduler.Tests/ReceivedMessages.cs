using MassTransit;

namespace SmsRemarketing.Scheduler.Tests;

/// <summary>
/// Counts the deliveries each queue of the host has finished with (consumed, faulted or dead-lettered), so a test
/// waits for "all N published messages were handled" instead of for a duration.
/// </summary>
public sealed class ReceivedMessages : IReceiveObserver
{
    private readonly Lock _gate = new();
    private readonly HashSet<ReceiveContext> _done = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, int> _byQueue = [];

    public int Count(string queue)
    {
        lock (_gate)
        {
            return _byQueue.GetValueOrDefault(queue);
        }
    }

    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Done(context);

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) where T : class =>
        Task.CompletedTask;

    public Task ReceiveFault(ReceiveContext context, Exception exception) => Done(context);

    private Task Done(ReceiveContext context)
    {
        lock (_gate)
        {
            if (_done.Add(context))
            {
                var queue = context.InputAddress.AbsolutePath.Split('/')[^1];
                _byQueue[queue] = _byQueue.GetValueOrDefault(queue) + 1;
            }
        }

        return Task.CompletedTask;
    }
}
