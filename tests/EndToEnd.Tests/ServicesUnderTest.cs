extern alias dispatcher;
extern alias emulator;
extern alias scheduler;

using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml.Linq;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SmsRemarketing.Testing;
using SmsRemarketing.Twilio;
using EmulatorAdminClient = emulator::SmsRemarketing.TwilioEmulator.Inspection.EmulatorAdminClient;
using TwilioEmulatorHost = emulator::SmsRemarketing.TwilioEmulator.TwilioEmulatorHost;
using DispatcherOptions = dispatcher::SmsRemarketing.Dispatcher.DispatcherOptions;
using SchedulerProgram = scheduler::Program;

namespace SmsRemarketing.EndToEnd.Tests;

/// <summary>
/// The Api, the Dispatcher and the Scheduler as the services build them, on one test database and vhost, with the Twilio emulator
/// over real HTTP, and every span both export collected in <see cref="Spans"/>. The Api listens on a real loopback
/// port (<see cref="ApiBaseUrl"/>) so the emulator's signed status callbacks reach its webhook as Twilio's would.
/// </summary>
public sealed class ServicesUnderTest : IAsyncLifetime
{
    public const string AdminKey = "adm_end_to_end_test_key_0123456789";

    /// <summary>Messages to this number end undelivered with 30003 at the emulator.</summary>
    public const string UndeliverableNumber = "+14155550666";

    private WebApplicationFactory<Program>? _api;
    private WebApplicationFactory<DispatcherOptions>? _dispatcher;
    private WebApplicationFactory<SchedulerProgram>? _scheduler;

    public TestDatabase Database { get; private set; } = null!;
    public TestBroker Broker { get; private set; } = null!;
    public TwilioEmulatorHost Twilio { get; private set; } = null!;
    public EmulatorAdminClient TwilioAdmin { get; private set; } = null!;
    public ExportedSpanCollection Spans { get; } = new();
    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The Api's public URL, as configured at "Twilio" (Api:PublicBaseUrl, the Dispatcher's StatusCallback).</summary>
    public string ApiBaseUrl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Broker = await TestBroker.CreateAsync();
        Twilio = await TwilioEmulatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Emulator:UndeliveredTo:0"] = UndeliverableNumber,
        });
        TwilioAdmin = Twilio.CreateAdminClient();
        var shared = new Dictionary<string, string>
        {
            ["ConnectionStrings:Database"] = Database.ConnectionString,
            ["RabbitMq:Url"] = Broker.Url,
            ["Outbox:PollInterval"] = "00:00:00.200",
        };
        var apiPort = FreePort();
        ApiBaseUrl = $"http://127.0.0.1:{apiPort}";
        _api = Host<Program>(shared, new()
        {
            ["Api:AdminKey"] = AdminKey,
            ["Api:PublicBaseUrl"] = ApiBaseUrl,
            ["Twilio:AuthToken"] = Twilio.Options.AuthToken,
            ["Twilio:DefaultFrom"] = "+15005550006",
        });
        _api.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, apiPort));
        _api.StartServer();
        _dispatcher = Host<DispatcherOptions>(shared, new()
        {
            ["Twilio:AccountSid"] = Twilio.Options.AccountSid,
            ["Twilio:AuthToken"] = Twilio.Options.AuthToken,
            ["Twilio:BaseUrl"] = Twilio.BaseAddress.ToString(),
            ["Twilio:DefaultFrom"] = "+15005550006",
            ["Twilio:StatusCallbackUrl"] = $"{ApiBaseUrl}/webhooks/twilio/status",
            ["Dispatcher:SenderMessagesPerSecond"] = "1000",
            // A narrow campaign lane, so a test can hold a campaign draining while it sends beside it.
            ["Dispatcher:CampaignConcurrentMessageLimit"] = "2",
        });
        _ = _dispatcher.Server;
        _scheduler = Host<SchedulerProgram>(shared, new() { ["Scheduler:Campaigns:Interval"] = "00:00:00.200" });
        _ = _scheduler.Server;
        Admin = NewApiClient();
        Admin.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        foreach (var host in new IServiceProvider[] { _api.Services, _dispatcher.Services, _scheduler.Services })
        {
            var bus = host.GetRequiredService<IBusControl>();
            await Eventually.WaitAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, "the buses to be healthy");
        }
    }

    /// <summary>
    /// An SMS from <paramref name="from"/> to the shared sender, signed as Twilio signs it for the Api's public URL, with
    /// any <paramref name="extra"/> fields (e.g. <c>OptOutType</c>); returns the TwiML answer.
    /// </summary>
    public async Task<XElement> InboundAsync(string from, string body, IReadOnlyDictionary<string, string>? extra = null)
    {
        var url = $"{ApiBaseUrl}/webhooks/twilio/inbound";
        var fields = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["AccountSid"] = Twilio.Options.AccountSid,
            ["From"] = from, ["To"] = "+15005550006", ["Body"] = body, ["NumMedia"] = "0",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            fields[name] = value;
        }

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add(TwilioRequestSignature.HeaderName, TwilioRequestSignature.Compute(Twilio.Options.AuthToken, url, fields));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
    }

    /// <summary>A bus to publish as another system would (e.g. a <c>LeadCreated</c> of its own).</summary>
    public IBus Bus => _api!.Services.GetRequiredService<IBus>();

    /// <summary>A new client with credits; returns an HttpClient that carries its API key.</summary>
    public async Task<(Guid ClientId, HttpClient Tenant)> NewTenantAsync(int credits)
    {
        // Quiet hours and the frequency cap off: these tests must not depend on the time of day they run at.
        var created = await Admin.PostAsJsonAsync("/clients",
            new { name = "Acme", email = "ops@acme.test", quiet_hours_enabled = false, frequency_caps = Array.Empty<object>() });
        created.EnsureSuccessStatusCode();
        var client = await created.Content.ReadFromJsonAsync<JsonElement>();
        var clientId = client.GetProperty("id").GetGuid();
        if (credits > 0)
        {
            (await Admin.PostAsJsonAsync("/credits/add", new { client_id = clientId, amount = credits, reference = $"seed-{clientId}" }))
                .EnsureSuccessStatusCode();
        }

        var tenant = NewApiClient();
        tenant.DefaultRequestHeaders.Add("X-API-Key", client.GetProperty("api_key").GetString());
        return (clientId, tenant);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        if (_scheduler is not null)
        {
            await _scheduler.DisposeAsync();
        }

        if (_dispatcher is not null)
        {
            await _dispatcher.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        TwilioAdmin.Dispose();
        await Twilio.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>
    /// A client of the Api's real port. It does not propagate its own trace context: a test that sends a
    /// <c>traceparent</c> plays the instrumented caller, and the handler must not replace that header with its own.
    /// </summary>
    private HttpClient NewApiClient() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(ApiBaseUrl) };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private WebApplicationFactory<T> Host<T>(Dictionary<string, string> shared, Dictionary<string, string> own) where T : class =>
        new WebApplicationFactory<T>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in shared.Concat(own))
            {
                host.UseSetting(key, value);
            }

            host.ConfigureServices(services =>
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans)));
        });
}
