using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>A client's leads. Phones are stored in E.164 and unique per client; creating a lead publishes LeadCreated.</summary>
internal static class LeadsApi
{
    public static IServiceCollection AddLeads(this IServiceCollection services)
    {
        services.AddOptions<LeadOptions>().BindConfiguration(LeadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static RouteGroupBuilder MapLeads(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/leads").WithTags("Leads").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateLead.HandleAsync)
            .WithSummary("Create a lead. A phone the client already has is 409, or with ?upsert=true updates that lead (200).");
        group.MapGet("/", ListLeads.HandleAsync).WithSummary("List leads, newest first, with filters and a cursor.");
        group.MapGet("/{id:guid}", GetLead.HandleAsync);
        group.MapPatch("/{id:guid}", UpdateLead.HandleAsync);
        group.MapDelete("/{id:guid}", DeleteLead.HandleAsync).WithSummary("Delete a lead and its messages.");
        return group;
    }
}
