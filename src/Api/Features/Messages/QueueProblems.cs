using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Features.Templates;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Messages;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary>How a message the queue refused is answered, alike for a manual send and a webhook trigger.</summary>
internal static class QueueProblems
{
    /// <param name="result">The refusal.</param>
    /// <param name="response">Takes the <c>Retry-After</c> of a daily cap reached.</param>
    public static ProblemHttpResult From(QueueResult result, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(response);
        var reason = new Dictionary<string, object?> { ["reason"] = SnakeCaseEnumConverter.ToSnakeCase(result.Rejection!.Value) };
        if (result.Rule is not null)
        {
            (reason["rule"], reason["credit_cost"]) = (result.Rule, result.CreditCost);
        }

        if (result.Rejection == MessageRejection.DailyCapReached && result.RetryAt is { } resetsAt)
        {
            var seconds = Math.Max(1, (long)Math.Ceiling((resetsAt - DateTimeOffset.UtcNow).TotalSeconds));
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            reason["resets_at"] = resetsAt;
        }

        return result.Rejection switch
        {
            MessageRejection.DestinationRefused => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Destination refused", type: "urn:smsremarketing:problem:destination-refused", extensions: reason),
            // 429: the request is fine and the client may send it again once its day resets (Retry-After, resets_at).
            MessageRejection.DailyCapReached => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status429TooManyRequests,
                title: "Daily cap reached", type: "urn:smsremarketing:problem:daily-cap-reached", extensions: reason),
            MessageRejection.MissingVariables => TemplatePreviews.MissingVariables(result.MissingVariables),
            MessageRejection.ClientInactive => ApiProblems.Status(StatusCodes.Status403Forbidden, "Forbidden", result.Detail!, reason),
            MessageRejection.NoCredit => ApiProblems.Status(StatusCodes.Status402PaymentRequired, "No credit", result.Detail!, reason),
            MessageRejection.OptedOut or MessageRejection.AwaitingConfirmation => ApiProblems.Conflict(result.Detail!, reason),
            MessageRejection.WrongClient => ApiProblems.NotFound("lead or template"),
            MessageRejection.CategoryNotAllowed => ApiProblems.CategoryNotAllowed("category", result.Detail!),
            // 409: the request is fine, the time is not; it succeeds unchanged once the window opens.
            MessageRejection.OutsideSendingWindow => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict,
                title: "Outside the sending window", type: "urn:smsremarketing:problem:outside-sending-window",
                extensions: new Dictionary<string, object?>(reason)
                {
                    ["window_opens_at"] = result.RetryAt,
                    ["exempt"] = "Quiet hours apply to marketing only: a transactional or conversational message the client may use "
                        + "(its allowed categories, in GET /compliance/delivery-policy) goes now; give its \"category\".",
                }),
            MessageRejection.TooManySegments => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "Message too long", type: "urn:smsremarketing:problem:too-many-segments", extensions: reason),
            _ => ApiProblems.Unprocessable(result.Detail!, reason),
        };
    }
}
