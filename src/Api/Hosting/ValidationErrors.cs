using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Hosting;

/// <summary>Field errors (keyed by the snake_case JSON name) answered as one 400 validation problem.</summary>
internal sealed class ValidationErrors : FieldErrors
{
    /// <summary>Per-call template variables: valid names, storable values of at most 500 characters, at most 50 of them.</summary>
    public void Variables(string field, IReadOnlyDictionary<string, string?>? variables)
    {
        if (variables is null)
        {
            return;
        }

        if (variables.Count > 50)
        {
            Add(field, "At most 50 variables.");
        }

        foreach (var (name, value) in variables)
        {
            if (!TemplateRenderer.IsValidName(name))
            {
                Add($"{field}.{name}", "Not a valid variable name (letters, digits and '_', not starting with a digit).");
            }
            else
            {
                Text($"{field}.{name}", value, 500);
            }
        }
    }

    /// <summary>An optional message category by its name; null when absent or unknown (then an error names the field).</summary>
    public MessageCategory? Category(string field, string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (MessageCategories.Parse(name) is { } category)
        {
            return category;
        }

        Add(field, $"One of {MessageCategories.Names(MessageCategories.All)}.");
        return null;
    }

    /// <summary>
    /// The 422 answer when <see cref="FieldErrors.IsUnprocessable"/>: <c>errors</c> per field, as a validation problem has them.
    /// </summary>
    public ProblemHttpResult ToUnprocessable() => TypedResults.Problem("A value is well-formed but not allowed here.", statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Unprocessable request", extensions: new Dictionary<string, object?> { ["errors"] = ToDictionary() });

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(ToDictionary(), title: "Invalid request");
}
