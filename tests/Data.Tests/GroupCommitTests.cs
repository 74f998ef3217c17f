using System.Diagnostics;

namespace SmsRemarketing.Data.Tests;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task CallersWaitingTogetherShareABatchAndEachGetsItsOwnResult()
    {
        var batches = new List<int>();
        var gate = new TaskCompletionSource();
        await using var group = new GroupCommit<int, int>(async (items, _) =>
        {
            await gate.Task; // hold the first batch so the rest pile up behind it
            lock (batches)
            {
                batches.Add(items.Count);
            }

            return [.. items.Select(item => item * 10)];
        }, maxBatch: 50);

        var calls = Enumerable.Range(1, 120).Select(item => group.RunAsync(item, CancellationToken.None)).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(1, 120).Select(item => item * 10), results);
        Assert.Equal(120, batches.Sum());
        Assert.All(batches, size => Assert.InRange(size, 1, 50));
        Assert.True(batches.Count < 120, $"batches: {string.Join(", ", batches)}");
    }

    [Fact]
    public async Task ABatchThatThrowsIsRetriedItemByItemSoOnlyTheBadItemFails()
    {
        var gate = new TaskCompletionSource();
        await using var group = new GroupCommit<int, int>(async (items, _) =>
        {
            await gate.Task;
            return items.Contains(13) ? throw new InvalidOperationException("unlucky") : [.. items];
        }, maxBatch: 100);

        var calls = Enumerable.Range(1, 30).Select(item => group.RunAsync(item, CancellationToken.None)).ToList();
        gate.SetResult();
        await Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Default);

        var failed = Assert.Single(calls, call => call.IsFaulted);
        Assert.Equal(calls[12], failed);
        Assert.IsType<InvalidOperationException>(failed.Exception!.InnerException);
        Assert.All(calls.Where(call => !call.IsFaulted), call => Assert.Equal(calls.IndexOf(call) + 1, call.Result));
    }

    [Fact]
    public async Task BatchesDoNotRunInTheTraceOfTheCallerThatCreatedTheGroup()
    {
        using var source = new ActivitySource("SmsRemarketing.Data.Tests.GroupCommit");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        GroupCommit<int, string?> group;
        using (source.StartActivity("the first request"))
        {
            Assert.NotNull(Activity.Current);
            group = new GroupCommit<int, string?>((items, _) => Task.FromResult<IReadOnlyList<string?>>([.. items.Select(_ => Activity.Current?.DisplayName)]), maxBatch: 10);
        }

        await using (group)
        {
            Assert.Null(await group.RunAsync(1, CancellationToken.None));
        }
    }
}
