using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmsRemarketing.Testing;

namespace SmsRemarketing.EndToEnd.Tests;

public sealed class SendingTests(ServicesUnderTest stack) : IClassFixture<ServicesUnderTest>
{
    [Fact]
    public async Task AMessageSentThroughTheApiReachesTwilioOnceAndEndsSent()
    {
        var (clientId, tenant) = await stack.NewTenantAsync(credits: 5);
        var lead = await tenant.PostAsync("/leads", new { phone = "+14155550142", first_name = "Grace", custom_fields = new { plan = "gold" } });
        var template = await tenant.PostAsync("/templates", new { name = "upgrade", body = "Hi {{first_name|there}}, your {{plan}} plan is ready" });

        var accepted = await tenant.PostAsJsonAsync("/messages/send", new { lead_id = lead.GetProperty("id").GetGuid(), template_id = template.GetProperty("id").GetGuid() });

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var messageId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var sent = await tenant.WaitForStatusAsync(messageId, "sent", "delivered");
        var atTwilio = Assert.Single(await stack.TwilioAdmin.GetMessagesAsync(to: "+14155550142"));
        Assert.Equal(["Hi Grace, your gold plan is ready"], atTwilio.Form["Body"]);
        Assert.Equal(atTwilio.Sid, sent.GetProperty("twilio_sid").GetString());
        Assert.Equal(4L, await stack.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", clientId));
    }

    [Fact]
    public async Task OneTraceFollowsASendFromTheHttpRequestToTwilio()
    {
        var (_, tenant) = await stack.NewTenantAsync(credits: 1);
        var lead = await tenant.PostAsync("/leads", new { phone = "+14155550143" });
        // The caller's trace context, as an instrumented client would send it: the request's span joins this trace.
        var traceId = ActivityTraceId.CreateRandom();
        using var send = new HttpRequestMessage(HttpMethod.Post, "/messages/send")
        {
            Content = JsonContent.Create(new { lead_id = lead.GetProperty("id").GetGuid(), body = "Trace me" }),
        };
        send.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var accepted = await tenant.SendAsync(send);
        var messageId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await tenant.WaitForStatusAsync(messageId, "sent", "delivered");

        var trace = await Eventually.WaitAsync(
            () => Task.FromResult(stack.Spans.Snapshot().Where(span => span.TraceId == traceId).ToList()),
            spans => spans.Any(IsConsume) && spans.Any(IsTwilioCall),
            "the consume and Twilio spans in the request's trace");
        Assert.Contains(trace, span => span.Kind == ActivityKind.Server && span.DisplayName == "POST /messages/send");
        Assert.Contains(trace, span => span.Source.Name == "SmsRemarketing.Outbox");
        Assert.Contains(trace, span => span.Source.Name == "Npgsql");
        Assert.Contains(trace, span => span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Producer);
        Assert.Contains(trace, IsConsume);
        Assert.Contains(trace, IsTwilioCall);
    }

    private static bool IsConsume(Activity span) =>
        span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer;

    private static bool IsTwilioCall(Activity span) =>
        span.Kind == ActivityKind.Client && span.Source.Name.StartsWith("System.Net.Http", StringComparison.Ordinal)
        && span.GetTagItem("url.full")?.ToString()?.Contains("/2010-04-01/Accounts/", StringComparison.Ordinal) == true;
}
