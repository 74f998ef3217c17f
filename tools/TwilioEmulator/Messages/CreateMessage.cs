using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Twilio;
using SmsRemarketing.TwilioEmulator.Accounts;
using SmsRemarketing.TwilioEmulator.Callbacks;
using SmsRemarketing.TwilioEmulator.Errors;
using SmsRemarketing.TwilioEmulator.Faults;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</summary>
internal static class CreateMessage
{
    public static async Task<Results<JsonHttpResult<MessageResource>, JsonHttpResult<TwilioErrorBody>, ContentHttpResult, EmptyHttpResult>> HandleAsync(
        string accountSid,
        HttpContext http,
        MessageStore store,
        FaultInjector faults,
        DeliverySimulator delivery,
        EmulatorCounters counters,
        TimeProvider time)
    {
        counters.Count(Counter.CreateRequests);

        // Faults that stand for "Twilio did not process it" come before reading anything, as a real 429/500 would.
        var oneShot = faults.TakeNext();
        var settings = faults.Current;
        if (oneShot is { Kind: OneShotFaultKind.RateLimited }
            || (oneShot is null && (!faults.TryAcquireCreateSlot() || faults.Roll(settings.RateLimitedRate))))
        {
            counters.Count(Counter.RateLimited);
            var retryAfter = oneShot?.RetryAfterSeconds ?? settings.RateLimitRetryAfterSeconds;
            http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return TwilioErrors.TooManyRequests();
        }

        if (oneShot is { Kind: OneShotFaultKind.ServerError } || (oneShot is null && faults.Roll(settings.ServerErrorRate)))
        {
            counters.Count(Counter.ServerErrors);
            return TwilioErrors.InternalServerError();
        }

        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted) : FormCollection.Empty;
        if (CreateMessageRules.Check(form) is { } invalid)
        {
            counters.Count(Counter.Rejected);
            return TwilioErrors.BadRequest(invalid.Code, invalid.Message);
        }

        var to = CreateMessageRules.Single(form, "To")!;
        var from = CreateMessageRules.Single(form, "From");
        if (MagicNumbers.Check(to, from) is { } magic)
        {
            counters.Count(Counter.Rejected);
            return TwilioErrors.BadRequest(magic.Code, magic.Message);
        }

        var message = store.Add(sequence => NewMessage(sequence, accountSid, form, to, from, http, time.GetUtcNow(), settings.ShortenLinks));
        delivery.Start(message);
        counters.Count(Counter.Created);

        if (oneShot is { Kind: OneShotFaultKind.LostResponse } || (oneShot is null && faults.Roll(settings.LostResponseRate)))
        {
            // The message exists and will be delivered, but the caller never hears so: the ambiguous case.
            counters.Count(Counter.LostResponses);
            http.Abort();
            return TypedResults.Empty;
        }

        if (oneShot is { Kind: OneShotFaultKind.ServerErrorAfterCreate })
        {
            // The message exists and will be delivered, yet the answer says the request failed.
            counters.Count(Counter.ServerErrorsAfterCreate);
            return TwilioErrors.InternalServerError();
        }

        if (oneShot is { Kind: OneShotFaultKind.MalformedResponse })
        {
            counters.Count(Counter.MalformedResponses);
            return TypedResults.Content($"{{\"sid\": \"{message.Sid}\", \"status\": ", "application/json", statusCode: StatusCodes.Status201Created);
        }

        return TypedResults.Json(message.ToResource(), statusCode: StatusCodes.Status201Created);
    }

    private static StoredMessage NewMessage(
        long sequence, string accountSid, IFormCollection form, string to, string? from, HttpContext http, DateTimeOffset now, bool shortenLinks)
    {
        var service = CreateMessageRules.Single(form, "MessagingServiceSid");
        var body = CreateMessageRules.Single(form, "Body");
        if (body is not null && shortenLinks)
        {
            body = ShortLinks.Shorten(body);
        }

        var media = form["MediaUrl"].Count(u => !string.IsNullOrEmpty(u));
        // A messaging service queues first ("accepted") and has no sender yet; a plain From is queued at once.
        return new StoredMessage(service is null ? "queued" : "accepted", from, now)
        {
            Sequence = sequence,
            Sid = (media > 0 ? "MM" : "SM") + Guid.NewGuid().ToString("N"),
            AccountSid = accountSid,
            To = to,
            MessagingServiceSid = service,
            Body = body,
            NumMedia = media,
            Segments = media > 0 && body is null ? 1 : SmsSegments.Count(body ?? ""),
            StatusCallback = CreateMessageRules.Single(form, "StatusCallback"),
            Form = form.ToDictionary(f => f.Key, f => f.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal),
            AuthUsername = http.Items[TwilioAuthFilter.UsernameItem] as string ?? "",
        };
    }
}
