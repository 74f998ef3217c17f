using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Hosting;

/// <summary>The problem details of expected outcomes, so that every feature words them alike.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem($"No {what} with this id.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict", extensions: extensions);

    public static ProblemHttpResult Unprocessable(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unprocessable request", extensions: extensions);

    /// <summary>A message category the client may not use (the operator sets its allowed categories): 422 naming the field.</summary>
    public static ProblemHttpResult CategoryNotAllowed(string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Category not allowed",
            type: "urn:smsremarketing:problem:category-not-allowed",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = "category_not_allowed",
                ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
            });

    /// <summary><see cref="CategoryNotAllowed(string, string)"/> for a template or trigger being saved with <paramref name="category"/>.</summary>
    public static ProblemHttpResult CategoryNotAllowed(string field, MessageCategory category, IEnumerable<MessageCategory> allowed) =>
        CategoryNotAllowed(field, $"This client may not use the category {MessageCategories.Name(category)}; its allowed categories are "
            + $"{MessageCategories.Names(allowed)} (the operator sets them).");

    public static ProblemHttpResult Status(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
}
