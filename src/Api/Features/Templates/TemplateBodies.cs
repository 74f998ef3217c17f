using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Templates;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary>What a template's body must be, saved or previewed; the unique name a saved one has; the category it may have.</summary>
internal static class TemplateBodies
{
    public const string NameIndex = "ix_templates_client_id_name";

    /// <summary>
    /// 422 naming <c>category</c> when the client may not use <paramref name="category"/>; null when it may. Shared
    /// by the trigger use cases, which save the same field.
    /// </summary>
    public static async Task<ProblemHttpResult?> RefusedCategoryAsync(SmsDbContext db, Guid clientId, MessageCategory category, CancellationToken cancellationToken)
    {
        if (category == MessageCategory.Marketing)
        {
            return null;
        }

        var allowed = await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.AllowedCategories).SingleAsync(cancellationToken);
        return allowed.Contains(category) ? null : ApiProblems.CategoryNotAllowed("category", category, allowed);
    }

    public static void Validate(ValidationErrors errors, string? body)
    {
        errors.Text("body", body, OutgoingMessages.MaxBodyLength, required: true);
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        foreach (var error in TemplateRenderer.Parse(body).Errors)
        {
            errors.Add("body", error.ToString());
        }
    }
}
