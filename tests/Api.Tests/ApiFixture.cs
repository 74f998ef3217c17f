using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Api.Tests;

/// <summary>
/// The Api as it runs (real PostgreSQL database and RabbitMQ vhost of its own, outbox relay included), served
/// in memory. One per test class; each test creates its own clients, so tests never share rows.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    public const string AdminKey = "test-admin-key-0123456789";

    private WebApplicationFactory<Program> _factory = null!;

    public TestDatabase Database { get; private set; } = null!;
    public TestBroker Broker { get; private set; } = null!;

    /// <summary>Settings a derived fixture overrides (e.g. a low rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Services a derived fixture replaces (e.g. the clock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>
    /// Serve on a real Kestrel socket (<see cref="KestrelEndPoint"/>) rather than in memory, for tests that must send
    /// bytes no HttpClient would (CR/LF in headers, invalid UTF-8 in the request line).
    /// </summary>
    protected virtual bool ListenOnKestrel => false;

    /// <summary>Every log line the Api wrote, with its scopes and exception, for tests that check what is logged.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The loopback address Kestrel listens on, when <see cref="ListenOnKestrel"/>.</summary>
    public IPEndPoint? KestrelEndPoint { get; private set; }

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Broker = await TestBroker.CreateAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("ConnectionStrings:Database", Database.ConnectionString);
            web.UseSetting("RabbitMq:Url", Broker.Url);
            web.UseSetting("Api:AdminKey", AdminKey);
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in Settings)
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services =>
            {
                services.AddSingleton<ILoggerProvider>(Logs);
                ConfigureServices(services);
            });
        });
        if (ListenOnKestrel)
        {
            KestrelEndPoint = new IPEndPoint(IPAddress.Loopback, FreePort());
            _factory.UseKestrel(kestrel => kestrel.Listen(KestrelEndPoint));
            _factory.StartServer();
        }
        else
        {
            _ = _factory.Server;
        }
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
    }

    public IServiceProvider Services => _factory.Services;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A client with no key at all.</summary>
    public HttpClient Anonymous() => _factory.CreateClient();

    public HttpClient Admin()
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-Admin-Key", AdminKey);
        return http;
    }

    public HttpClient WithApiKey(string apiKey)
    {
        var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        return http;
    }

    /// <summary>
    /// A caller at <paramref name="address"/>, behind the loopback proxy the Api trusts (<c>X-Forwarded-For</c>), with
    /// <paramref name="apiKey"/> if given. Needs <see cref="ListenOnKestrel"/>: in memory, requests have no address.
    /// </summary>
    public HttpClient From(string address, string? apiKey = null)
    {
        var http = FromThisMachine();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        }

        return http;
    }

    /// <summary>A caller on this machine itself (loopback, no proxy between). Needs <see cref="ListenOnKestrel"/>.</summary>
    public HttpClient FromThisMachine() =>
        new() { BaseAddress = new Uri($"http://{KestrelEndPoint ?? throw new InvalidOperationException("The fixture does not listen on Kestrel.")}") };

    /// <summary>
    /// How many times the Api looked a key's prefix up in the database, from its log; counts only in a fixture that logs
    /// <c>Microsoft.EntityFrameworkCore.Database.Command</c> at Information.
    /// </summary>
    public int KeyLookups => Logs.Lines.Count(line => line.Contains("Executed DbCommand", StringComparison.Ordinal)
        && line.Contains("api_key_prefix", StringComparison.Ordinal));

    /// <summary>
    /// Creates a client through the admin API (and gives it credits), returning an HTTP client with its key. Quiet hours
    /// and the frequency cap are off unless <paramref name="deliveryPolicy"/>: a test about something else must not
    /// depend on the time of day it runs at, nor on how many messages it sends to one lead.
    /// </summary>
    public async Task<Tenant> CreateTenantAsync(long credits = 100, string name = "Acme", bool deliveryPolicy = false)
    {
        using var admin = Admin();
        var created = deliveryPolicy
            ? await admin.PostAsJsonAsync("/clients", new { name, email = "ops@acme.test", timezone = "America/New_York" })
            : await admin.PostAsJsonAsync("/clients",
                new { name, email = "ops@acme.test", timezone = "America/New_York", quiet_hours_enabled = false, frequency_caps = Array.Empty<object>() });
        var body = await created.ReadJsonAsync(System.Net.HttpStatusCode.Created);
        var id = body.GetProperty("id").GetGuid();
        var apiKey = body.GetProperty("api_key").GetString()!;
        if (credits > 0)
        {
            var added = await admin.PostAsJsonAsync("/credits/add", new { client_id = id, amount = credits, reference = $"seed-{Guid.NewGuid()}" });
            await added.ReadJsonAsync(System.Net.HttpStatusCode.OK);
        }

        return new Tenant(id, apiKey, WithApiKey(apiKey));
    }
}

public sealed record Tenant(Guid Id, string ApiKey, HttpClient Http) : IDisposable
{
    public async Task<JsonElement> CreateLeadAsync(object lead)
    {
        var response = await Http.PostAsJsonAsync("/leads", lead);
        return await response.ReadJsonAsync(System.Net.HttpStatusCode.Created);
    }

    public async Task<Guid> CreateLeadAsync(string phone, string? firstName = "Ada") =>
        (await CreateLeadAsync(new { phone, first_name = firstName })).GetProperty("id").GetGuid();

    public async Task<Guid> CreateTemplateAsync(string body, string? name = null)
    {
        var response = await Http.PostAsJsonAsync("/templates", new { name = name ?? $"t-{Guid.NewGuid():N}", body });
        return (await response.ReadJsonAsync(System.Net.HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// <c>DELETE</c> of a suppression (<paramref name="path"/>: <c>/suppressions/{lead}</c> or <c>/suppressions/by-phone/{phone}</c>)
    /// with the renewed consent the client must show, or <paramref name="body"/> instead.
    /// </summary>
    public Task<HttpResponseMessage> LiftOptOutAsync(string path, string? note = null, object? body = null) =>
        Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path)
        {
            Content = JsonContent.Create(body ?? new
            {
                consent_source = "web_form", consent_at = DateTimeOffset.UtcNow.AddMinutes(-1), consent_text = "Yes, text me offers (form v3).", note,
            }),
        });

    public void Dispose() => Http.Dispose();
}

public static class HttpAssertions
{
    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 answer with this status, and returns it.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync(expected);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    public static StringContent Json(string raw) => new(raw, new MediaTypeHeaderValue("application/json"));
}
