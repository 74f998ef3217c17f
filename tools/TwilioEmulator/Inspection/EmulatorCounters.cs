namespace SmsRemarketing.TwilioEmulator.Inspection;

/// <summary>Lock-free request counters; cheap enough to sit on the hot path of a benchmark.</summary>
internal sealed class EmulatorCounters
{
    private readonly long[] _values = new long[Enum.GetValues<Counter>().Length];

    public void Count(Counter counter) => Interlocked.Increment(ref _values[(int)counter]);

    public void Reset()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            Interlocked.Exchange(ref _values[i], 0);
        }
    }

    public RequestCounters Snapshot()
    {
        long Read(Counter c) => Interlocked.Read(ref _values[(int)c]);
        return new RequestCounters(
            Read(Counter.CreateRequests),
            Read(Counter.Created),
            Read(Counter.Rejected),
            Read(Counter.RateLimited),
            Read(Counter.ServerErrors),
            Read(Counter.LostResponses),
            Read(Counter.MalformedResponses),
            Read(Counter.Unauthorized),
            Read(Counter.FetchRequests),
            Read(Counter.ListRequests),
            Read(Counter.CallbacksSucceeded),
            Read(Counter.CallbacksFailed),
            Read(Counter.ServerErrorsAfterCreate));
    }
}
