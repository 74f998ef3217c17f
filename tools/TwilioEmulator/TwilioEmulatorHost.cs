using Microsoft.Extensions.Options;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.TwilioEmulator;

/// <summary>
/// The emulator started in-process on Kestrel at http://127.0.0.1 on a free port, for tests:
/// <code>await using var twilio = await TwilioEmulatorHost.StartAsync();</code>
/// Point the client's Twilio:BaseUrl at <see cref="BaseAddress"/>.
/// </summary>
public sealed class TwilioEmulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TwilioEmulatorHost(WebApplication app, Uri baseAddress, EmulatorOptions options)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary>e.g. http://127.0.0.1:41234/ (with the trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The account, token and key the emulator accepts.</summary>
    public EmulatorOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary><c>settings</c>: configuration keys as in appsettings, e.g. <c>["Emulator:CallbackStepDelayMs"] = "10"</c>.</summary>
    public static async Task<TwilioEmulatorHost> StartAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var app = TwilioEmulatorApp.Build([], all);
        await app.StartAsync(cancellationToken);
        // After StartAsync, Urls holds the bound address with the real port chosen for :0.
        var address = app.Urls.First();
        var options = app.Services.GetRequiredService<IOptions<EmulatorOptions>>().Value;
        return new TwilioEmulatorHost(app, new Uri(address.TrimEnd('/') + "/"), options);
    }

    /// <summary>A client for the /_emulator endpoints; dispose it when done.</summary>
    public EmulatorAdminClient CreateAdminClient() => new(new HttpClient { BaseAddress = BaseAddress }, disposeClient: true);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
