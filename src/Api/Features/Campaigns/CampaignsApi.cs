using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>Campaigns: a template or body to a segment or a list of leads, at an instant or a local time, paid from credits reserved in advance.</summary>
internal static class CampaignsApi
{
    public static RouteGroupBuilder MapCampaigns(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/campaigns").WithTags("Campaigns").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateCampaign.HandleAsync).WithSummary("Create a draft campaign.");
        group.MapGet("/", ListCampaigns.HandleAsync);
        group.MapGet("/{id:guid}", GetCampaign.HandleAsync).WithSummary("A campaign with its progress and credits.");
        group.MapPatch("/{id:guid}", UpdateCampaign.HandleAsync).WithSummary("Edit a draft.");
        group.MapDelete("/{id:guid}", DeleteCampaign.HandleAsync).WithSummary("Delete a draft.");
        group.MapPost("/{id:guid}/estimate", EstimateCampaign.HandleAsync).RequireHeavyRateLimit()
            .WithSummary("Render every recipient's message and answer recipients, exclusions, segments, credits and encodings.");
        group.MapPost("/{id:guid}/schedule", ScheduleCampaign.HandleAsync).RequireHeavyRateLimit()
            .WithSummary("Freeze the audience and reserve the exact cost (402 when the client may not spend it).")
            .ProducesProblem(StatusCodes.Status402PaymentRequired);
        group.MapPost("/{id:guid}/pause", ChangeCampaign.PauseAsync).WithSummary("Release no more of its messages until resumed.");
        group.MapPost("/{id:guid}/resume", ChangeCampaign.ResumeAsync);
        group.MapPost("/{id:guid}/cancel", ChangeCampaign.CancelAsync).WithSummary("Cancel what was not released and release the credits it held.");
        group.MapGet("/{id:guid}/recipients", ListCampaignRecipients.HandleAsync).WithSummary("The frozen audience, each with its message and outcome or why it was left out.");
        return group;
    }
}
