using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Features.Messages;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Api.Idempotency;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary>Automation rules bound to a template; webhook triggers are fired here, the others by events and the scheduler.</summary>
internal static class TriggersApi
{
    public static RouteGroupBuilder MapTriggers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/triggers").WithTags("Triggers").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateTrigger.HandleAsync).WithSummary("Create a new_lead, lead_age (days >= 1) or webhook trigger bound to a template.");
        group.MapGet("/", ListTriggers.HandleAsync);
        group.MapGet("/{id:guid}", GetTrigger.HandleAsync);
        group.MapPatch("/{id:guid}", UpdateTrigger.HandleAsync);
        group.MapDelete("/{id:guid}", DeleteTrigger.HandleAsync);
        group.MapPost("/{id:guid}/fire", FireTrigger.HandleAsync)
            .WithIdempotencyKey<FireTriggerRequest, MessageResponse>(MessageResponse.Accepted)
            .WithSummary("Fire a webhook trigger for a lead given by id or phone (created if create_lead is true); 202 with the message, 200 with the first one when the trigger already fired for the lead.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id:guid}/sweep", SweepTrigger.HandleAsync).RequireHeavyRateLimit()
            .WithSummary("Run a lead_age trigger's sweep for today's date in the client's time zone, as the Scheduler does; each lead fires once.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }
}
