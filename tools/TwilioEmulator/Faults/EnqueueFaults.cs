namespace SmsRemarketing.TwilioEmulator.Faults;

/// <summary>Body of POST /_emulator/faults/next, e.g. <c>{"kind":"rateLimited","count":2,"retryAfterSeconds":3}</c>.</summary>
public sealed record EnqueueFaults(OneShotFaultKind Kind, int Count = 1, int? RetryAfterSeconds = null);
