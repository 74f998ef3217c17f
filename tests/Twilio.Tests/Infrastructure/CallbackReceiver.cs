using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Twilio.Tests.Infrastructure;

/// <summary>A real Kestrel listener on 127.0.0.1 that records the status callbacks it gets.</summary>
internal sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedCallback> _received;

    private CallbackReceiver(WebApplication app, ConcurrentQueue<ReceivedCallback> received, Uri baseAddress)
    {
        _app = app;
        _received = received;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<ReceivedCallback> Received => [.. _received];

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var received = new ConcurrentQueue<ReceivedCallback>();
        app.MapPost("/{**path}", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            received.Enqueue(new ReceivedCallback(
                http.Request.Path + http.Request.QueryString,
                [.. form],
                http.Request.Headers[TwilioRequestSignature.HeaderName].ToString(),
                http.Request.Headers.UserAgent.ToString()));
            return Results.NoContent();
        });
        await app.StartAsync();
        return new CallbackReceiver(app, received, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    public Task<IReadOnlyList<ReceivedCallback>> WaitForAsync(string messageSid, int count) =>
        Eventually.WaitAsync(
            () => Task.FromResult<IReadOnlyList<ReceivedCallback>>([.. Received.Where(c => c.Has("MessageSid") && c["MessageSid"] == messageSid)]),
            callbacks => callbacks.Count >= count,
            $"{count} callbacks for {messageSid}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
