using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.TwilioEmulator.Callbacks;
using SmsRemarketing.TwilioEmulator.Faults;
using SmsRemarketing.TwilioEmulator.Messages;

namespace SmsRemarketing.TwilioEmulator.Inspection;

/// <summary>/_emulator/messages, /_emulator/requests, /_emulator/callbacks: what the emulator saw, for assertions.</summary>
internal static class InspectionApi
{
    public static IServiceCollection AddInspection(this IServiceCollection services) => services.AddSingleton<EmulatorCounters>();

    public static RouteGroupBuilder MapInspection(this IEndpointRouteBuilder endpoints)
    {
        var emulator = endpoints.MapGroup("/_emulator").WithTags("Emulator");
        emulator.MapGet("/messages", Messages);
        emulator.MapDelete("/messages", Reset);
        emulator.MapGet("/requests", (EmulatorCounters counters) => TypedResults.Ok(counters.Snapshot()));
        emulator.MapGet("/callbacks", (string? sid, CallbackLog log) => TypedResults.Ok(log.Snapshot(sid)));
        return emulator;
    }

    private static Ok<InspectedMessage[]> Messages(string? to, MessageStore store) =>
        TypedResults.Ok(store.Snapshot(m => to is null || m.To == to)
            .Select(m => new InspectedMessage(
                m.Sid,
                m.AccountSid,
                m.AuthUsername,
                m.ReceivedAt,
                m.Status,
                m.Form.ToDictionary(f => f.Key, f => (IReadOnlyList<string>)f.Value, StringComparer.Ordinal)))
            .ToArray());

    /// <summary>Everything back to start-up: messages (and their pending deliveries), callbacks, counters, faults.</summary>
    private static NoContent Reset(MessageStore store, CallbackLog log, EmulatorCounters counters, FaultInjector faults)
    {
        store.Clear();
        log.Clear();
        counters.Reset();
        faults.Reset();
        return TypedResults.NoContent();
    }
}
