using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Templates;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary>What a template's body must be, saved or previewed; and the unique name a saved one has.</summary>
internal static class TemplateBodies
{
    public const string NameIndex = "ix_templates_client_id_name";

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
