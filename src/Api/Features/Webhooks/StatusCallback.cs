using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Hosting;

namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// <c>POST /webhooks/twilio/status</c>. Callbacks come out of order and twice, and can come before the Dispatcher
/// has recorded the SID Twilio gave it, or for a message whose create answer was lost. The Dispatcher puts our
/// message id in the StatusCallback URL (<c>?message_id=</c>, covered by Twilio's signature): such a callback ties its
/// SID to that message and moves it, and no other. One without it (sent before the id was added) is applied by SID,
/// or stored by SID until a message gets it. Messages move forward only (see <c>StatusCallbackSql</c>), many to a
/// transaction by <see cref="StatusCallbackWriter"/>. Answering an error would not help: Twilio retries only failed
/// connections.
/// </summary>
internal static class StatusCallback
{
    /// <summary>The query parameter the Dispatcher adds to the StatusCallback URL (its <c>SmsSender.MessageIdParameter</c>).</summary>
    public const string MessageIdParameter = "message_id";

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        HttpRequest request, StatusCallbackWriter writer, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var sid = First(form, "MessageSid", "SmsSid");
        var twilioStatus = First(form, "MessageStatus", "SmsStatus");
        if (string.IsNullOrEmpty(sid) || string.IsNullOrEmpty(twilioStatus))
        {
            return ApiProblems.Status(StatusCodes.Status400BadRequest, "Bad request", "MessageSid and MessageStatus are required.");
        }

        if (!TwilioSids.IsMessageSid(sid))
        {
            return ApiProblems.Status(StatusCodes.Status400BadRequest, "Bad request", TwilioSids.Expected);
        }

        var status = Map(twilioStatus);
        if (status is null)
        {
            // queued, accepted, scheduled, receiving, …: nothing of ours moves on them.
            return TypedResults.NoContent();
        }

        int? errorCode = int.TryParse(form["ErrorCode"].ToString(), out var code) && code != 0 ? code : null;
        var errorMessage = First(form, "ErrorMessage") is { Length: > 0 } text ? text[..Math.Min(text.Length, 1000)] : null;

        Guid? messageId = Guid.TryParse(request.Query[MessageIdParameter].ToString(), out var id) ? id : null;
        var from = First(form, "From") is { Length: <= 34 } sender ? sender : null;
        var movedFor = await writer.ApplyAsync(new StatusUpdate(sid, status, errorCode, errorMessage, messageId, from), cancellationToken);
        if (movedFor is { } clientId)
        {
            DeliveryTelemetry.StatusesApplied.Add(1,
                new KeyValuePair<string, object?>("status", status),
                new KeyValuePair<string, object?>("error_code", errorCode),
                new KeyValuePair<string, object?>("client_id", clientId));
        }

        // Debug, not Information: three callbacks per SMS would dominate the logs (the counter above counts them).
        var logger = loggers.CreateLogger(typeof(StatusCallback));
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("Status callback {TwilioStatus} for {MessageSid}: {Outcome}", twilioStatus, sid,
                movedFor is null ? "stored (no message moved)" : "applied");
        }

        return TypedResults.NoContent();
    }

    /// <summary>Twilio's status in our vocabulary, or null when it moves nothing.</summary>
    private static string? Map(string twilioStatus) => twilioStatus switch
    {
        "sending" or "sent" or "delivered" or "undelivered" or "failed" => twilioStatus,
        // Read receipts (RCS, WhatsApp) imply delivery; a canceled scheduled message will never be sent.
        "read" => "delivered",
        "canceled" => "failed",
        _ => null,
    };

    private static string? First(IFormCollection form, params string[] names) =>
        names.Select(name => form[name].ToString()).FirstOrDefault(value => value.Length > 0);
}
