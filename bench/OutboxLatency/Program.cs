using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Messaging;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.OutboxLatency;
using SmsRemarketing.Testing;

// Writers commit events the way the Api does (one transaction per request, through the outbox interceptor) while
// the relay publishes them and a consumer receives them. Reports commit → published (the relay's confirmed mark)
// and commit → consumed, p50/p99, and the throughput. Usage: OutboxLatency [events] [writers] [output.json]
var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var output = args.Length > 2 ? args[2] : null;

await using var database = await TestDatabase.CreateAsync();
await using var broker = await TestBroker.CreateAsync();
var arrivals = new ConcurrentDictionary<Guid, long>();

var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Database"] = database.ConnectionString,
    ["RabbitMq:Url"] = broker.Url,
    ["RabbitMq:PrefetchCount"] = "200",
});
builder.AddSmsDatabase();
builder.AddMessaging(bus => bus.AddConsumer<LatencyConsumer>());
builder.Services.AddSingleton(arrivals);
using var host = builder.Build();
await host.StartAsync();
var bus = host.Services.GetRequiredService<IBusControl>();
await Eventually.WaitAsync(() => bus.CheckHealth().Status == BusHealthStatus.Healthy, "the bus");

var commits = new ConcurrentDictionary<Guid, long>();
var next = -1;
var started = Stopwatch.GetTimestamp();
await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
{
    while (Interlocked.Increment(ref next) < events)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SmsDbContext>();
        var row = db.AddOutboxMessage(new SendSmsRequested { MessageId = Guid.NewGuid(), ClientId = Guid.NewGuid(), RequestedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        commits[row.Id] = Stopwatch.GetTimestamp();
    }
}));
var committed = Stopwatch.GetElapsedTime(started);
await Eventually.WaitAsync(() => arrivals.Count >= events, $"{events} arrivals", TimeSpan.FromMinutes(5));
var drained = Stopwatch.GetElapsedTime(started);

var consumed = commits.Select(c => Stopwatch.GetElapsedTime(c.Value, arrivals[c.Key]).TotalMilliseconds).Order().ToArray();
// The relay stamps published_at (database clock) in the transaction that records the broker's confirm.
var published = await database.ScalarAsync<double[]>("""
    SELECT array[percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)]
    FROM (SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM outbox_messages WHERE published_at IS NOT NULL) t
    """) ?? [];
await host.StopAsync();

var result = new Dictionary<string, object>
{
    ["events"] = events,
    ["writers"] = writers,
    ["commit_rate_per_s"] = Math.Round(events / committed.TotalSeconds),
    ["end_to_end_per_s"] = Math.Round(events / drained.TotalSeconds),
    ["commit_to_publish_p50_ms"] = Math.Round(published.ElementAtOrDefault(0), 1),
    ["commit_to_publish_p99_ms"] = Math.Round(published.ElementAtOrDefault(1), 1),
    ["commit_to_consume_p50_ms"] = Math.Round(Percentile(consumed, 0.50), 1),
    ["commit_to_consume_p99_ms"] = Math.Round(Percentile(consumed, 0.99), 1),
};
var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(json);
if (output is not null)
{
    await File.WriteAllTextAsync(output, json);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
