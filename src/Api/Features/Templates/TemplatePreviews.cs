using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Delivery;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary>
/// A rendered body and what sending it would cost: to the lead's number when a lead is given, else to the client's
/// home country. <see cref="Refusal"/> names the rule when the client may not text the lead (no cost then).
/// </summary>
internal sealed record PreviewResponse(
    string Text, SmsEncoding Encoding, int Segments, int Units, int Characters, int? CreditCost, string Country, string? Refusal, string? RefusalDetail);

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
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == clientId, cancellationToken);
        int? cost = client.PayPerSegment ? segments.Segments : 1;
        var (country, refusal) = (client.HomeCountry, (DestinationRefusal?)null);
        if (lead is not null)
        {
            var priced = await DestinationPricing.PriceAsync(db, client, lead.Phone, segments.Segments, cancellationToken);
            refusal = DestinationPolicy.Of(client).Check(lead.Phone) ?? priced.Refusal;
            (country, cost) = (priced.Destination.Country, refusal is null ? priced.CreditCost : null);
        }

        return TypedResults.Ok(new PreviewResponse(rendered.Text!, segments.Encoding, segments.Segments, segments.Units, rendered.Text!.Length,
            cost, country, refusal?.Rule, refusal?.Detail));
    }

    public static ProblemHttpResult MissingVariables(IReadOnlyList<string> missing) =>
        ApiProblems.Unprocessable(
            $"No value and no default for: {string.Join(", ", missing)}. Give them as variables, set them on the lead, or add a default ({{{{name|default}}}}).",
            new Dictionary<string, object?> { ["missing_variables"] = missing });
}
