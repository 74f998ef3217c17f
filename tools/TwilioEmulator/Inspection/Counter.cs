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
    Unauthorized,
    FetchRequests,
    ListRequests,
    CallbacksSucceeded,
    CallbacksFailed,
}
