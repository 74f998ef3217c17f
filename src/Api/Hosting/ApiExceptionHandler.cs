using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace SmsRemarketing.Api.Hosting;

/// <summary>
/// Turns what escapes an endpoint into problem details: a request the framework could not read (malformed JSON,
/// a wrong type, an unreadable route value, too large a body) into its 4xx with a clear detail, and anything else
/// into a 500 that says nothing about the internals (the log has the exception, the answer its trace id).
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            problem = new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = badRequest.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Bad request",
                },
                Detail = DescribeBadRequest(badRequest),
            };
        }
        else if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            return true;
        }
        else if (StatementTimedOut(exception))
        {
            LogStatementTimeout(httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = "5";
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Request took too long",
                Detail = "A database statement of this request ran past the Api's limit (Database:StatementTimeout) and was cancelled. " +
                         "Narrow the request (a smaller page or filter) or retry later.",
            };
        }
        else
        {
            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal server error",
                Detail = "The request failed on our side. Quote the trace id when reporting it.",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static string DescribeBadRequest(BadHttpRequestException exception)
    {
        var json = exception.InnerException as JsonException ?? exception.InnerException?.InnerException as JsonException;
        if (json is not null)
        {
            var where = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : $" at '{json.Path}'";
            return $"The request body is not valid JSON or has a value of the wrong type{where}" +
                   (json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})." : ".");
        }

        return exception.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than this endpoint accepts.",
            _ when exception.Message.Contains("from body", StringComparison.Ordinal) => "A JSON request body is required.",
            _ => exception.Message,
        };
    }

    /// <summary>PostgreSQL cancelled a statement for its <c>statement_timeout</c> (EF may wrap it in a retry's exception).</summary>
    private static bool StatementTimedOut(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is PostgresException { SqlState: PostgresErrorCodes.QueryCanceled })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A statement of {Method} {Path} ran past the statement timeout and was cancelled")]
    private partial void LogStatementTimeout(string method, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
