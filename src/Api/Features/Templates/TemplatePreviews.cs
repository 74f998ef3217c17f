using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Templates;

internal sealed record PreviewResponse(string Text, SmsEncoding Encoding, int Segments, int Units, int Characters);

/// <summary>A body rendered for a lead and/or variables, saved or not; and the 422 of a variable with no value.</summary>
internal static class TemplatePreviews
{
    public static async Task<Results<Ok<PreviewResponse>, ValidationProblem, ProblemHttpResult>> RenderAsync(
        SmsDbContext db, Guid clientId, string body, Guid? leadId, Dictionary<string, string?>? variables, CancellationToken cancellationToken)
    {
        Lead? lead = null;
        if (leadId is { } id)
        {
            lead = await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id && l.ClientId == clientId, cancellationToken);
            if (lead is null)
            {
                return ApiProblems.NotFound("lead");
            }
        }

        var rendered = TemplateRenderer.Render(body, TemplateVariables.For(lead, variables));
        if (!rendered.Succeeded)
        {
            return MissingVariables(rendered.MissingVariables);
        }

        var segments = SmsSegments.Analyze(rendered.Text!);
        return TypedResults.Ok(new PreviewResponse(rendered.Text!, segments.Encoding, segments.Segments, segments.Units, rendered.Text!.Length));
    }

    public static ProblemHttpResult MissingVariables(IReadOnlyList<string> missing) =>
        ApiProblems.Unprocessable(
            $"No value and no default for: {string.Join(", ", missing)}. Give them as variables, set them on the lead, or add a default ({{{{name|default}}}}).",
            new Dictionary<string, object?> { ["missing_variables"] = missing });
}
