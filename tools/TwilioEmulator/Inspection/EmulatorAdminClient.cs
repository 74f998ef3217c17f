using System.Text.Json;
using System.Text.Json.Serialization;
using SmsRemarketing.TwilioEmulator.Callbacks;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.TwilioEmulator.Inspection;

/// <summary>Typed access to the emulator's /_emulator endpoints, for tests (in-process or against a running emulator).</summary>
public sealed class EmulatorAdminClient(HttpClient httpClient, bool disposeClient = false) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <param name="to">Only messages to this number.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<InspectedMessage>> GetMessagesAsync(string? to = null, CancellationToken cancellationToken = default) =>
        await httpClient.GetFromJsonAsync<InspectedMessage[]>(
            to is null ? "_emulator/messages" : $"_emulator/messages?to={Uri.EscapeDataString(to)}", Json, cancellationToken) ?? [];

    public async Task<RequestCounters> GetCountersAsync(CancellationToken cancellationToken = default) =>
        (await httpClient.GetFromJsonAsync<RequestCounters>("_emulator/requests", Json, cancellationToken))!;

    /// <param name="messageSid">Only callbacks about this message.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<CallbackRecord>> GetCallbacksAsync(string? messageSid = null, CancellationToken cancellationToken = default) =>
        await httpClient.GetFromJsonAsync<CallbackRecord[]>(
            messageSid is null ? "_emulator/callbacks" : $"_emulator/callbacks?sid={Uri.EscapeDataString(messageSid)}", Json, cancellationToken) ?? [];

    /// <summary>Messages, callbacks, counters, knobs and one-shot faults back to start-up.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        using var response = await httpClient.DeleteAsync("_emulator/messages", cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<FaultSettings> GetFaultsAsync(CancellationToken cancellationToken = default) =>
        (await httpClient.GetFromJsonAsync<FaultSettings>("_emulator/faults", Json, cancellationToken))!;

    public async Task SetFaultsAsync(FaultSettings settings, CancellationToken cancellationToken = default)
    {
        using var response = await httpClient.PutAsJsonAsync("_emulator/faults", settings, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The next <paramref name="count"/> authenticated creates take this fault, in order.</summary>
    /// <param name="kind">What happens to each of them.</param>
    /// <param name="count">How many creates.</param>
    /// <param name="retryAfterSeconds">Retry-After for <see cref="OneShotFaultKind.RateLimited"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task EnqueueFaultAsync(OneShotFaultKind kind, int count = 1, int? retryAfterSeconds = null, CancellationToken cancellationToken = default)
    {
        using var response = await httpClient.PostAsJsonAsync("_emulator/faults/next", new EnqueueFaults(kind, count, retryAfterSeconds), Json, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose()
    {
        if (disposeClient)
        {
            httpClient.Dispose();
        }
    }
}
