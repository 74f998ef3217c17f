using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;

namespace SmsRemarketing.Api.Features.Audiences;

/// <summary>Segments: saved filters over a client's leads, evaluated by PostgreSQL whenever they are counted, listed or sent to.</summary>
internal static class SegmentsApi
{
    public static RouteGroupBuilder MapSegments(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/segments").WithTags("Segments").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateSegment.HandleAsync).WithSummary("Save a filter over the client's leads; it is checked now, evaluated when used.");
        group.MapGet("/", ListSegments.HandleAsync);
        group.MapGet("/{id:guid}", GetSegment.HandleAsync);
        group.MapPatch("/{id:guid}", UpdateSegment.HandleAsync);
        group.MapDelete("/{id:guid}", DeleteSegment.HandleAsync);
        group.MapGet("/{id:guid}/count", CountSegment.HandleAsync).RequireHeavyRateLimit()
            .WithSummary("How many leads are members now; opted-out and unconfirmed leads never are.");
        group.MapGet("/{id:guid}/leads", ListSegmentLeads.HandleAsync).WithSummary("The members, newest first, with a cursor.");
        group.MapPost("/preview", PreviewSegment.HandleAsync).RequireHeavyRateLimit().WithSummary("Count the members of an unsaved filter.");
        return group;
    }
}
