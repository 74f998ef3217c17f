using System.Collections.Concurrent;
using System.Net;

namespace SmsRemarketing.Chaos;

/// <summary>
/// N manual sends through POST /messages/send with bounded concurrency, spread over the Apis. Each send has a body
/// no other message has (so the emulator's copies can be counted per message) and an Idempotency-Key; a send that
/// got no answer (the Api was dead, the database restarting) is retried with the same key and body until an Api
/// accepts it (for at most <c>giveUpAfter</c>: longer than any outage a scenario causes), so each is accepted once.
/// </summary>
internal sealed class SendLoad(
    TenantApi tenant, IReadOnlyList<Uri> apis, IReadOnlyList<Guid> leads, string scenario, int sends, int concurrency, TimeSpan giveUpAfter)
{
    private readonly ConcurrentDictionary<int, Guid> _accepted = new();
    private readonly ConcurrentBag<string> _refused = [];
    private int _done;
    private int _retries;

    public IReadOnlyCollection<Guid> AcceptedIds => [.. _accepted.Values];

    /// <summary>Answers other than 202 that are not worth a retry (4xx but 429): each is a broken promise of the Api.</summary>
    public IReadOnlyCollection<string> Refused => _refused;

    public int Retries => Volatile.Read(ref _retries);

    public double Progress => (double)Volatile.Read(ref _done) / sends;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < sends)
            {
                await SendOneAsync(i, cancellationToken);
                Interlocked.Increment(ref _done);
            }
        }));
    }

    public async Task WaitForProgressAsync(double fraction, CancellationToken cancellationToken)
    {
        while (Progress < fraction)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task SendOneAsync(int i, CancellationToken cancellationToken)
    {
        var body = $"chaos {scenario} send {i} {Guid.NewGuid():N}";
        var key = $"{scenario}-{i}";
        var lead = leads[i % leads.Count];
        var started = DateTime.UtcNow;
        for (var attempt = 0; ; attempt++)
        {
            var api = apis[(i + attempt) % apis.Count];
            string failure;
            try
            {
                var answer = await tenant.SendAsync(api, lead, body, key, cancellationToken);
                if (answer.MessageId is { } id)
                {
                    _accepted[i] = id;
                    return;
                }

                if (answer.Status != HttpStatusCode.TooManyRequests && (int)answer.Status < 500)
                {
                    _refused.Add($"send {i}: {(int)answer.Status} {answer.Problem}");
                    return;
                }

                failure = $"{(int)answer.Status} {answer.Problem}";
            }
            catch (HttpRequestException exception)
            {
                failure = exception.Message;
            }
            catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                failure = exception.Message;
            }

            Interlocked.Increment(ref _retries);
            if (DateTime.UtcNow - started > giveUpAfter)
            {
                _refused.Add($"send {i}: no Api accepted it in {giveUpAfter.TotalMinutes} minutes; last: {failure}");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (attempt + 1))), cancellationToken);
        }
    }
}
