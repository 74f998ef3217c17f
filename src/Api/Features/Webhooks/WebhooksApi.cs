using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// Twilio's webhooks: message status callbacks and inbound SMS. No API key: each request must carry a valid
/// X-Twilio-Signature. Not rate limited: Twilio does not retry a callback it got an answer to, so a 429 would lose a
/// delivery status or a STOP.
/// </summary>
internal static class WebhooksApi
{
    public static IHostApplicationBuilder AddTwilioWebhooks(this IHostApplicationBuilder builder)
    {
        // Only the auth token is read here; the Api never calls Twilio, so the client's settings are not validated.
        builder.Services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.SectionName);
        builder.Services.AddSingleton<TwilioSignatureFilter>();
        builder.Services.AddSingleton<StatusCallbackWriter>();
        return builder;
    }

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/webhooks/twilio").WithTags("Webhooks")
            .AllowAnonymous()
            .DisableRateLimiting()
            .DisableAntiforgery()
            .AddEndpointFilter<TwilioSignatureFilter>()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/status", StatusCallback.HandleAsync)
            .WithSummary("Twilio's message status callback: moves the message forward to sent, delivered, undelivered or failed.");
        group.MapPost("/inbound", InboundSms.HandleAsync)
            .WithSummary("Twilio's inbound SMS webhook: stores the message; STOP/START opt the lead out/in; HELP answers the help text.");
        return group;
    }
}
