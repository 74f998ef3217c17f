using System.Diagnostics;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Messaging.Tests.Outbox;

public sealed class OutboxTracingTests : IsolatedBackends
{
    [Fact]
    public async Task TheConsumerContinuesTheTraceOfTheRequestThatWroteTheEvent()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("SmsRemarketing", StringComparison.Ordinal) || source.Name == "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var requestSource = new ActivitySource("SmsRemarketing.Tests.Request");
        await using var host = await RelayHost.StartAsync(Database, Broker.Url);

        ActivityTraceId requestTrace;
        List<Guid> ids;
        using (var request = requestSource.StartActivity("POST /messages/send", ActivityKind.Server))
        {
            Assert.NotNull(request);
            requestTrace = request.TraceId;
            ids = await host.CommitEventsAsync(1);
        }

        var traceParent = await Database.ScalarAsync<string>("SELECT trace_parent FROM outbox_messages WHERE id = $1", ids[0]);
        Assert.StartsWith($"00-{requestTrace}-", traceParent, StringComparison.Ordinal);
        await Eventually.WaitAsync(() => host.Received.CountOf(ids[0]) == 1, "the event");
        Assert.Equal(requestTrace, host.Received.Deliveries.Single().TraceId);
    }
}
