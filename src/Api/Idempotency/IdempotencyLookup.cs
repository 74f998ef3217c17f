namespace SmsRemarketing.Api.Idempotency;

/// <summary>What an <c>Idempotency-Key</c> already stands for: nothing yet, a result to replay, or another request.</summary>
internal sealed record IdempotencyLookup<T>(bool IsNew, bool IsMismatch, T? Response)
{
    public static readonly IdempotencyLookup<T> New = new(true, false, default);
    public static readonly IdempotencyLookup<T> Mismatch = new(false, true, default);

    public static IdempotencyLookup<T> Replay(T response) => new(false, false, response);
}
