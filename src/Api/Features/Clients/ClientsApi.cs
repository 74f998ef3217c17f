using SmsRemarketing.Api.Auth;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary>The operator's view of tenants: create (the API key is shown once), list, read, change, rotate the key.</summary>
internal static class ClientsApi
{
    public static RouteGroupBuilder MapClients(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/clients").WithTags("Clients (admin)").RequireAuthorization(ApiAuthentication.AdminPolicy);
        group.MapPost("/", CreateClient.HandleAsync).WithSummary("Create a client; the answer holds its API key, shown this once.");
        group.MapGet("/", ListClients.HandleAsync).WithSummary("List clients, newest first.");
        group.MapGet("/{id:guid}", GetClient.HandleAsync);
        group.MapPatch("/{id:guid}", UpdateClient.HandleAsync)
            .WithSummary("Change settings (delivery policy included: quiet hours, frequency caps, max_segments, pay_per_segment; destinations: home_country, allowed_countries, denied_number_types; daily_message_cap, daily_credit_cap), or activate / deactivate (is_active).");
        group.MapPost("/{id:guid}/rotate-key", RotateClientKey.HandleAsync).WithSummary("Replace the API key; the old one stops working at once.");
        return group;
    }
}
