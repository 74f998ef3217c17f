using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>The Api on a real Kestrel socket, for requests no HttpClient would send.</summary>
public sealed class KestrelApiFixture : ApiFixture
{
    protected override bool ListenOnKestrel => true;
}

/// <summary>
/// Bytes an HttpClient refuses to send — CR, LF and NUL inside headers, invalid UTF-8 in the request line, conflicting
/// lengths, oversized heads and bodies — written straight to the socket. Each is answered with a 4xx (or the
/// connection closed) within the hang guard, never a 5xx, and the service stays up for the next caller.
/// </summary>
public sealed class RawHttpTests(KestrelApiFixture api) : IClassFixture<KestrelApiFixture>
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string> Heads => new()
    {
        { "bare CR in a header value", "GET /leads HTTP/1.1\r\nHost: x\r\nX-API-Key: sk_abc\rX-Admin-Key: " + ApiFixture.AdminKey + "\r\n\r\n" },
        { "bare LF in a header value", "GET /clients HTTP/1.1\r\nHost: x\r\nX-Test: a\nX-Admin-Key: " + ApiFixture.AdminKey + "\r\n\r\n" },
        { "NUL in a header value", "GET /leads HTTP/1.1\r\nHost: x\r\nX-API-Key: sk_\0abc\r\n\r\n" },
        { "obsolete line folding", "GET /leads HTTP/1.1\r\nHost: x\r\nX-API-Key: sk_abc\r\n  continued\r\n\r\n" },
        { "invalid UTF-8 in the path", "GET /leads/\u00C3\u0028\u00FF HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "invalid UTF-8 in the query", "GET /leads?cursor=\u00FF\u00FE HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "invalid UTF-8 in the API key", "GET /leads HTTP/1.1\r\nHost: x\r\nX-API-Key: sk_\u00FF\u00FE\u00C3\u0028\r\n\r\n" },
        { "invalid UTF-8 in the admin key", "GET /clients HTTP/1.1\r\nHost: x\r\nX-Admin-Key: \u00FF\u00FE\u00C3\u0028\r\n\r\n" },
        { "a NUL in the method", "G\0T /leads HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "an unknown HTTP version", "GET /leads HTTP/9.9\r\nHost: x\r\n\r\n" },
        { "no Host header", "GET /leads HTTP/1.1\r\n\r\n" },
        { "two Content-Lengths that disagree", "POST /leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}" },
        { "Content-Length beside Transfer-Encoding", "POST /leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /clients HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "a bad chunk size", "POST /leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n{}\r\n0\r\n\r\n" },
        { "a 64 KB header", "GET /leads HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 64 * 1024) + "\r\n\r\n" },
        { "a 20 KB URL", "GET /leads?" + new string('a', 20 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "5,000 headers", "GET /leads HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"X-{i}: v\r\n")) + "\r\n" },
        { "a body shorter than its Content-Length", "POST /leads HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"phone\":" },
    };

    [Theory]
    [MemberData(nameof(Heads))]
    public async Task MalformedRequestsAreRefusedWithoutAFaultAndTheServiceStaysUp(string what, string raw)
    {
        var answer = await SendRawAsync(Encoding.Latin1.GetBytes(raw));

        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 4", StringComparison.Ordinal) || answer.StartsWith("HTTP/1.1 505", StringComparison.Ordinal),
            $"{what}: {answer[..Math.Min(answer.Length, 300)]}");
        Assert.DoesNotContain(ApiFixture.AdminKey, answer, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task AnInjectedAdminHeaderOpensNothing()
    {
        // Whatever the parser makes of a bare LF, the client list must not come back for a request that has no valid key line.
        var answer = await SendRawAsync(Encoding.Latin1.GetBytes(
            "GET /clients HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Note: a\rX-Admin-Key: " + ApiFixture.AdminKey + "\r\n\r\n"));

        Assert.False(answer.StartsWith("HTTP/1.1 2", StringComparison.Ordinal), answer[..Math.Min(answer.Length, 300)]);
    }

    [Fact]
    public async Task AChunkedBodyOverTheLimitIs413AndStoresNothing()
    {
        using var tenant = await CreateTenantAsync();
        var head = "POST /leads HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-API-Key: " + tenant.ApiKey + "\r\n\r\n";
        var chunk = "{\"phone\":\"+14155550181\",\"first_name\":\"" + new string('x', 3 * 1024 * 1024) + "\"}";
        var body = $"{chunk.Length:X}\r\n{chunk}\r\n0\r\n\r\n";

        var answer = await SendRawAsync(Encoding.ASCII.GetBytes(head + body));

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
        await AssertStillServingAsync();
    }

    /// <summary>Writes the bytes (tolerating the server closing early), then reads until the server closes or the guard fires.</summary>
    private async Task<string> SendRawAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(HangGuard);
        using var client = new TcpClient();
        await client.ConnectAsync(api.KestrelEndPoint!, timeout.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(bytes, timeout.Token);
            client.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // The server answered (and closed) before reading everything: its answer is what matters.
        }

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset after the answer.
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"no answer and no close within {HangGuard.TotalSeconds} s (received: {Encoding.Latin1.GetString(received.ToArray())})");
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    private async Task AssertStillServingAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{api.KestrelEndPoint}") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
    }

    private async Task<Tenant> CreateTenantAsync()
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{api.KestrelEndPoint}") };
        http.DefaultRequestHeaders.Add("X-Admin-Key", ApiFixture.AdminKey);
        var created = await (await http.PostAsJsonAsync("/clients", new { name = "Raw", email = "ops@raw.test" })).ReadJsonAsync(HttpStatusCode.Created);
        http.DefaultRequestHeaders.Remove("X-Admin-Key");
        var key = created.GetProperty("api_key").GetString()!;
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        return new Tenant(created.GetProperty("id").GetGuid(), key, http);
    }
}
