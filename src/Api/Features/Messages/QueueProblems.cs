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
            MessageRejection.MissingVariables => TemplatesApi.MissingVariables(result.MissingVariables),
            MessageRejection.ClientInactive => ApiProblems.Status(StatusCodes.Status403Forbidden, "Forbidden", result.Detail!, reason),
            MessageRejection.NoCredit => ApiProblems.Status(StatusCodes.Status402PaymentRequired, "No credit", result.Detail!, reason),
            MessageRejection.OptedOut => ApiProblems.Conflict(result.Detail!, reason),
            MessageRejection.WrongClient => ApiProblems.NotFound("lead or template"),
            _ => ApiProblems.Unprocessable(result.Detail!, reason),
        };
    }
}
