using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.TwilioEmulator.Errors;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json</summary>
internal static class FetchMessage
{
    public static Results<JsonHttpResult<MessageResource>, JsonHttpResult<TwilioErrorBody>> Handle(
        string accountSid, string sid, HttpContext http, MessageStore store, EmulatorCounters counters)
    {
        counters.Count(Counter.FetchRequests);
        return store.Find(sid) is { } message && message.AccountSid == accountSid
            ? TypedResults.Json(message.ToResource())
            : TwilioErrors.NotFound(http.Request.Path);
    }
}
