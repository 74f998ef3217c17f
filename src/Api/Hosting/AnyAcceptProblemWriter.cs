using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace SmsRemarketing.Api.Hosting;

/// <summary>
/// The last problem details writer, for a request whose Accept header excludes JSON (<c>Accept: application/xml</c>).
/// The default writer declines those, and a caller that cannot be answered in its format must still get its 401 or
/// 404, not a 500 with no body: the status is the answer, so it is written as problem JSON all the same.
/// </summary>
internal sealed class AnyAcceptProblemWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var json = jsonOptions.Value.SerializerOptions;
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            problem, json.GetTypeInfo(problem.GetType()), "application/problem+json", context.HttpContext.RequestAborted));
    }
}
