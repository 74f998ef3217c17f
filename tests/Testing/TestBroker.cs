using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace SmsRemarketing.Testing;

/// <summary>
/// A RabbitMQ virtual host of its own for one test (or fixture), deleted on dispose: queues and exchanges of
/// different tests never meet, even when the test projects run in parallel against one broker.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private static readonly HttpClient Management = CreateManagementClient();
    private static int _counter;

    private TestBroker(string virtualHost) => VirtualHost = virtualHost;

    public string VirtualHost { get; }

    /// <summary>The <c>amqp://</c> URL of the vhost, as the services' <c>RabbitMq:Url</c> takes it.</summary>
    public string Url => AmqpUrl(TestEnvironment.RabbitAmqpHostPort);

    public string AmqpUrl(string hostAndPort) => $"amqp://guest:guest@{hostAndPort}/{Uri.EscapeDataString(VirtualHost)}";

    public static async Task<TestBroker> CreateAsync()
    {
        var name = $"{TestEnvironment.RunPrefix}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}";
        var escaped = Uri.EscapeDataString(name);
        (await Management.PutAsync($"api/vhosts/{escaped}", null)).EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"api/permissions/{escaped}/guest", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return new TestBroker(name);
    }

    /// <summary>
    /// Declares a queue bound to a message type's fanout exchange, as a consumer's endpoint would: the outbox relay
    /// publishes mandatory, so a type no queue is bound for stays unpublished.
    /// </summary>
    public async Task BindQueueAsync(string exchange, string queue)
    {
        var vhost = Uri.EscapeDataString(VirtualHost);
        (await Management.PutAsJsonAsync($"api/exchanges/{vhost}/{Uri.EscapeDataString(exchange)}", new { type = "fanout", durable = true }))
            .EnsureSuccessStatusCode();
        (await Management.PutAsJsonAsync($"api/queues/{vhost}/{Uri.EscapeDataString(queue)}", new { durable = true })).EnsureSuccessStatusCode();
        (await Management.PostAsJsonAsync($"api/bindings/{vhost}/e/{Uri.EscapeDataString(exchange)}/q/{Uri.EscapeDataString(queue)}", new { }))
            .EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() =>
        await Management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(VirtualHost)}");

    private static HttpClient CreateManagementClient()
    {
        var url = TestEnvironment.RabbitManagementUrl;
        var client = new HttpClient { BaseAddress = new Uri(url.GetLeftPart(UriPartial.Authority) + "/") };
        var userInfo = url.UserInfo.Length > 0 ? Uri.UnescapeDataString(url.UserInfo) : "guest:guest";
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        return client;
    }
}
