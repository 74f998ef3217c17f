using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Idempotency;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary>Manual sends and the message history.</summary>
internal static class MessagesApi
{
    public static RouteGroupBuilder MapMessages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/messages").WithTags("Messages").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/send", SendMessage.HandleAsync)
            .WithIdempotencyKey<SendMessageRequest, MessageResponse>(MessageResponse.Accepted)
            .WithSummary("Queue an SMS to a lead (202). To an opted-out lead it is recorded as status suppressed (202) and never sent. " +
                "A marketing message outside the client's sending window (quiet hours, in the lead's time zone) is refused (409, with " +
                "window_opens_at); a transactional or conversational one goes, if the client may use its category (else 422). " +
                "ignore_quiet_hours is replaced by category (400). More segments than the client's max_segments is 422. " +
                "With Idempotency-Key, a retry within 24 h answers the first result and sends nothing. " +
                "send_at (an ISO 8601 instant with its offset, at most 35 days ahead; in the past or further is 422) stores it as " +
                "scheduled with send_after: the lead, its consent, the destination, the category and the template are checked now; " +
                "the credit, the daily caps and the sending window when it is released at send_at.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id:guid}/cancel", CancelMessage.HandleAsync)
            .WithSummary("Cancel a scheduled message (200, status canceled): it is never sent and costs nothing. " +
                "A message no longer scheduled is 409 with its message_status.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListMessages.HandleAsync).WithSummary("List messages, newest first; filter by status, lead and created_at range.");
        group.MapGet("/{id:guid}", GetMessage.HandleAsync);
        return group;
    }
}
