using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary><see cref="Encoding"/> and <see cref="Segments"/> are those of the body with its placeholders as written.</summary>
internal sealed record TemplateResponse(
    Guid Id, string Name, string Body, MessageCategory Category, IReadOnlyList<string> Variables, SmsEncoding Encoding, int Segments,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TemplateResponse From(Template template)
    {
        var segments = SmsSegments.Analyze(template.Body);
        return new TemplateResponse(template.Id, template.Name, template.Body, template.Category, TemplateRenderer.Parse(template.Body).Variables,
            segments.Encoding, segments.Segments, template.CreatedAt, template.UpdatedAt);
    }
}
