namespace SmsRemarketing.TwilioEmulator.Inspection;

internal enum Counter
{
    CreateRequests,
    Created,
    Rejected,
    RateLimited,
    ServerErrors,
    LostResponses,
    MalformedResponses,
    ServerErrorsAfterCreate,
    Unauthorized,
    FetchRequests,
    ListRequests,
    CallbacksSucceeded,
    CallbacksFailed,
}
