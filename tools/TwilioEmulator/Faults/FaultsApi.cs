using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SmsRemarketing.TwilioEmulator.Faults;

/// <summary>/_emulator/faults: read and replace the knobs, queue one-shot faults. No auth: a test tool.</summary>
internal static class FaultsApi
{
    public static IServiceCollection AddFaults(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FaultSettings>()
            .Bind(configuration.GetSection(EmulatorOptions.SectionName))
            .Validate(s => !s.Validate().Any(), "Invalid Emulator fault settings (rates 0–1, delays and limits 0 or more).")
            .ValidateOnStart();
        services.AddSingleton<FaultInjector>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return services;
    }

    public static RouteGroupBuilder MapFaults(this IEndpointRouteBuilder endpoints)
    {
        var faults = endpoints.MapGroup("/_emulator/faults").WithTags("Emulator");
        faults.MapGet("/", (FaultInjector injector) => TypedResults.Ok(injector.Current));
        faults.MapPut("/", Replace);
        faults.MapDelete("/", (FaultInjector injector) =>
        {
            injector.Reset();
            return TypedResults.NoContent();
        });
        faults.MapGet("/next", (FaultInjector injector) => TypedResults.Ok(injector.Pending));
        faults.MapPost("/next", Enqueue);
        return faults;
    }

    private static Results<Ok<FaultSettings>, ValidationProblem> Replace(FaultSettings settings, FaultInjector injector)
    {
        var errors = settings.Validate().ToArray();
        if (errors.Length > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["settings"] = errors });
        }

        injector.Replace(settings);
        return TypedResults.Ok(settings);
    }

    private static Results<Ok<IReadOnlyList<OneShotFault>>, ValidationProblem> Enqueue(EnqueueFaults request, FaultInjector injector)
    {
        if (request.Count is < 1 or > 100_000 || request.RetryAfterSeconds < 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["count"] = ["Count is 1–100000; RetryAfterSeconds 0 or more."] });
        }

        injector.Enqueue(new OneShotFault(request.Kind, request.RetryAfterSeconds), request.Count);
        return TypedResults.Ok(injector.Pending);
    }
}
