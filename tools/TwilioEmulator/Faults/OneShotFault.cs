namespace SmsRemarketing.TwilioEmulator.Faults;

/// <summary>
/// One queued fault; the next authenticated create takes it, whatever that create's outcome would have been.
/// <see cref="RetryAfterSeconds"/> is for <see cref="OneShotFaultKind.RateLimited"/>; null means RateLimitRetryAfterSeconds.
/// </summary>
public sealed record OneShotFault(OneShotFaultKind Kind, int? RetryAfterSeconds = null);
