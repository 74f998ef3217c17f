namespace SmsRemarketing.Testing;

/// <summary>
/// A clock a test sets: <see cref="GetUtcNow"/> returns <see cref="Now"/>. Timers and timestamps stay real, so
/// hosts keep polling and timing out as usual; only "what time is it" is the test's.
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}
