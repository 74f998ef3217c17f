namespace SmsRemarketing.TwilioEmulator.Inspection;

/// <summary>
/// GET /_emulator/requests. <see cref="CreateRequests"/> counts authenticated creates; each ends as exactly one of
/// Created (including LostResponses, MalformedResponses and ServerErrorsAfterCreate, which were stored), Rejected (400), RateLimited (429)
/// or ServerErrors (500).
/// </summary>
public sealed record RequestCounters(
    long CreateRequests,
    long Created,
    long Rejected,
    long RateLimited,
    long ServerErrors,
    long LostResponses,
    long MalformedResponses,
    long Unauthorized,
    long FetchRequests,
    long ListRequests,
    long CallbacksSucceeded,
    long CallbacksFailed,
    long ServerErrorsAfterCreate);
