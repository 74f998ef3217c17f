using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Features.Templates;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Messages;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary>How a message the queue refused is answered, alike for a manual send and a webhook trigger.</summary>
internal static class QueueProblems
{
    public static ProblemHttpResult From(QueueResult result)
    {
        var reason = new Dictionary<string, object?> { ["reason"] = SnakeCaseEnumConverter.ToSnakeCase(result.Rejection!.Value) };
        return result.Rejection switch
        {
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
