namespace SmsRemarketing.Api.Idempotency;

/// <summary>
/// A request's commit failed because a concurrent request with the same <c>Idempotency-Key</c> committed first. Not
/// a <see cref="Microsoft.EntityFrameworkCore.DbUpdateException"/>, so a handler's own catch of a unique violation
/// does not take it for its own.
/// </summary>
internal sealed class IdempotencyKeyTakenException(Exception inner)
    : Exception("A concurrent request with the same Idempotency-Key committed first.", inner);
