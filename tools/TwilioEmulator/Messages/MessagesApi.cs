using SmsRemarketing.TwilioEmulator.Accounts;

namespace SmsRemarketing.TwilioEmulator.Messages;

internal static class MessagesApi
{
    public static IServiceCollection AddMessageStore(this IServiceCollection services) => services.AddSingleton<MessageStore>();

    /// <summary>Twilio's paths keep the ".json" suffix: without it the 2010 API answers XML, which is not emulated.</summary>
    public static RouteGroupBuilder MapTwilioMessages(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/2010-04-01/Accounts/{accountSid}")
            .AddEndpointFilter<LatencyFilter>()
            .AddEndpointFilter<TwilioAuthFilter>()
            .WithTags("Twilio Messages");
        account.MapPost("/Messages.json", CreateMessage.HandleAsync).DisableAntiforgery();
        account.MapGet("/Messages.json", ListMessages.Handle);
        account.MapGet("/Messages/{sid}.json", FetchMessage.Handle);
        return account;
    }
}
