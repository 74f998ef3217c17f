using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Templates;

/// <summary>Message templates: syntax checked when saved, previewed with a lead's values before anything is sent.</summary>
internal static class TemplatesApi
{
    public static RouteGroupBuilder MapTemplates(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/templates").WithTags("Templates").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateTemplate.HandleAsync).WithSummary("Create a template; {{variable}} and {{variable|default}} are checked now.");
        group.MapGet("/", ListTemplates.HandleAsync);
        group.MapGet("/{id:guid}", GetTemplate.HandleAsync);
        group.MapPatch("/{id:guid}", UpdateTemplate.HandleAsync);
        group.MapDelete("/{id:guid}", DeleteTemplate.HandleAsync).WithSummary("Delete a template that no trigger uses.");
        group.MapPost("/{id:guid}/preview", PreviewTemplate.HandleAsync).WithSummary("Render a template for a lead and/or variables, with its encoding and segments.");
        group.MapPost("/preview", PreviewBody.HandleAsync).WithSummary("Render an unsaved body.");
        return group;
    }
}
