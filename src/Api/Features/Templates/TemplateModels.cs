using SmsRemarketing.Data.Templates;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Templates;

internal sealed record CreateTemplateRequest(string? Name, string? Body);

internal sealed record UpdateTemplateRequest(string? Name, string? Body);

/// <summary>Preview a saved template against a lead of the client and/or given variables (which win).</summary>
internal sealed record PreviewTemplateRequest(Guid? LeadId, Dictionary<string, string?>? Variables);

/// <summary>Preview a body that is not saved.</summary>
internal sealed record PreviewBodyRequest(string? Body, Guid? LeadId, Dictionary<string, string?>? Variables);

internal sealed record PreviewResponse(string Text, SmsEncoding Encoding, int Segments, int Units, int Characters);

/// <summary><see cref="Encoding"/> and <see cref="Segments"/> are those of the body with its placeholders as written.</summary>
internal sealed record TemplateResponse(
    Guid Id, string Name, string Body, IReadOnlyList<string> Variables, SmsEncoding Encoding, int Segments,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TemplateResponse From(Template template)
    {
        var segments = SmsSegments.Analyze(template.Body);
        return new TemplateResponse(template.Id, template.Name, template.Body, TemplateRenderer.Parse(template.Body).Variables,
            segments.Encoding, segments.Segments, template.CreatedAt, template.UpdatedAt);
    }
}
