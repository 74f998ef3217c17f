using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Api.Features.Webhooks;

namespace SmsRemarketing.Api.Tests.Features.Webhooks;

public sealed class StatusCallbackTests(WebhookFixture api) : IClassFixture<WebhookFixture>
{
    private const string Path = "/webhooks/twilio/status";
    private static readonly string[] TwilioSteps = ["sending", "sent", "delivered"];

    [Fact]
    public async Task CallbacksInOrderMoveTheMessageToDelivered()
    {
        var (id, sid) = await SentMessageAsync();

        foreach (var status in new[] { "sending", "sent", "delivered" })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(sid, status)).StatusCode);
        }

        Assert.Equal("delivered", await StatusAsync(id));
        Assert.NotNull(await api.Database.ScalarAsync<DateTime?>("SELECT delivered_at FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task CallbacksOutOfOrderNeverMoveAStatusBack()
    {
        var (id, sid) = await SentMessageAsync();

        foreach (var status in new[] { "delivered", "sending", "sent", "undelivered" })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(sid, status, status == "undelivered" ? 30003 : null)).StatusCode);
        }

        Assert.Equal("delivered", await StatusAsync(id));
        Assert.Null(await api.Database.ScalarAsync<int?>("SELECT error_code FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task AnUndeliveredCallbackRecordsTheErrorCode()
    {
        var (id, sid) = await SentMessageAsync();

        await PostAsync(sid, "undelivered", 30003);

        Assert.Equal("undelivered", await StatusAsync(id));
        Assert.Equal(30003, await api.Database.ScalarAsync<int?>("SELECT error_code FROM messages WHERE id = $1", id));
        Assert.Null(await api.Database.ScalarAsync<DateTime?>("SELECT delivered_at FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task ADuplicatedCallbackChangesNothing()
    {
        var (id, sid) = await SentMessageAsync();
        await PostAsync(sid, "delivered");
        var first = await api.Database.ScalarAsync<DateTime>("SELECT updated_at FROM messages WHERE id = $1", id);

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(sid, "delivered")).StatusCode);

        Assert.Equal(first, await api.Database.ScalarAsync<DateTime>("SELECT updated_at FROM messages WHERE id = $1", id));
        // The message had its SID, so neither callback was kept for later.
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = $1", sid));
    }

    [Fact]
    public async Task ACallbackThatArrivesBeforeTheSidIsRecordedIsAppliedWhenItIs()
    {
        var (id, sid) = await SentMessageAsync(recordSid: false);

        await PostAsync(sid, "sent");
        await PostAsync(sid, "delivered");
        Assert.Equal("sending", await StatusAsync(id));
        Assert.Equal(2L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = $1", sid));

        // What the Dispatcher does when Twilio's answer reaches it.
        await api.Database.ExecuteAsync(
            "UPDATE messages SET status = 'sent', twilio_sid = $2, sent_at = now(), updated_at = now() WHERE id = $1 AND status = 'sending'", id, sid);

        Assert.Equal("delivered", await StatusAsync(id));
        Assert.NotNull(await api.Database.ScalarAsync<DateTime?>("SELECT delivered_at FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task AForgedSignatureIsRefusedWith403AndChangesNothing()
    {
        var (id, sid) = await SentMessageAsync();
        var fields = Fields(sid, "delivered");
        var forged = SmsRemarketing.Twilio.TwilioRequestSignature.Compute("not-the-token", WebhookFixture.PublicBaseUrl + Path, fields);

        await (await api.PostSignedAsync(Path, fields, forged)).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("sent", await StatusAsync(id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = $1", sid));
    }

    [Fact]
    public async Task AMissingSignatureIsRefusedWith403AndChangesNothing()
    {
        var (id, sid) = await SentMessageAsync();

        await (await api.PostSignedAsync(Path, Fields(sid, "delivered"), sign: false)).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("sent", await StatusAsync(id));
    }

    [Fact]
    public async Task ASignatureOverTheHostHeaderUrlInsteadOfThePublicUrlIsRefused()
    {
        var (id, sid) = await SentMessageAsync();
        var fields = Fields(sid, "delivered");
        // The test server's own address: what a verifier that trusted the Host header would rebuild.
        var signature = SmsRemarketing.Twilio.TwilioRequestSignature.Compute(WebhookFixture.AuthToken, "http://localhost" + Path, fields);

        await (await api.PostSignedAsync(Path, fields, signature)).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("sent", await StatusAsync(id));
    }

    [Fact]
    public async Task AFieldChangedAfterSigningIsRefused()
    {
        var (id, sid) = await SentMessageAsync();
        var signature = SmsRemarketing.Twilio.TwilioRequestSignature.Compute(
            WebhookFixture.AuthToken, WebhookFixture.PublicBaseUrl + Path, Fields(sid, "undelivered"));

        await (await api.PostSignedAsync(Path, Fields(sid, "delivered"), signature)).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("sent", await StatusAsync(id));
    }

    [Fact]
    public async Task ManyCallbacksAtOnceForManyMessagesAreAllAppliedAndEachMessageEndsDelivered()
    {
        // Half of them with their SID recorded, half still waiting for the Dispatcher to record it.
        var messages = new List<(Guid Id, string Sid)>();
        for (var i = 0; i < 20; i++)
        {
            messages.Add(await SentMessageAsync(recordSid: i % 2 == 0));
        }

        // Sixty callbacks at once, each message's three in a shuffled order, so they share transactions in any mix.
        var callbacks = messages.SelectMany(m => TwilioSteps.Select(status => (m.Sid, Status: status)))
            .OrderBy(_ => Random.Shared.Next()).ToList();
        var answers = await Task.WhenAll(callbacks.Select(c => PostAsync(c.Sid, c.Status)));
        foreach (var (id, sid) in messages.Where((_, i) => i % 2 == 1))
        {
            // Kept for later: no message had the SID.
            Assert.Equal(3L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = $1", sid));
            await api.Database.ExecuteAsync(
                "UPDATE messages SET status = 'sent', twilio_sid = $2, sent_at = now(), updated_at = now() WHERE id = $1 AND status = 'sending'", id, sid);
        }

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode));
        foreach (var (id, sid) in messages)
        {
            Assert.Equal("delivered", await StatusAsync(id));
        }

        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = ANY($1)", (object)messages.Where((_, i) => i % 2 == 0).Select(m => m.Sid).ToArray()));
    }

    [Fact]
    public async Task EachCallbackOfASharedBatchLearnsWhetherItMovedItsMessage()
    {
        var messages = new List<(Guid Id, string Sid)>();
        for (var i = 0; i < 10; i++)
        {
            messages.Add(await SentMessageAsync());
        }

        // Per message a callback that moves it (sent → delivered), then one that does not (sent again); and one for
        // a SID nobody has. Submitted at once, they share batches, so each answer must find its own callback.
        var writer = api.Services.GetRequiredService<StatusCallbackWriter>();
        var updates = messages.SelectMany(m => new[] { new StatusUpdate(m.Sid, "delivered", null, null), new StatusUpdate(m.Sid, "sent", null, null) })
            .Append(new StatusUpdate("SM" + Guid.NewGuid().ToString("N"), "delivered", null, null)).ToList();
        var moved = await Task.WhenAll(updates.Select(update => writer.ApplyAsync(update, CancellationToken.None)));

        for (var i = 0; i < messages.Count; i++)
        {
            var client = await api.Database.ScalarAsync<Guid>("SELECT client_id FROM messages WHERE id = $1", messages[i].Id);
            Assert.Equal(client, moved[2 * i]);
            Assert.Null(moved[(2 * i) + 1]);
            Assert.Equal("delivered", await StatusAsync(messages[i].Id));
        }

        Assert.Null(moved[^1]);
    }

    [Fact]
    public async Task ACallbackCarryingOurMessageIdTiesItsSidToThatMessageWhenTheDispatcherHasNotRecordedOne()
    {
        // Twilio's answer to the create was lost (or is still on its way): the message has no SID.
        var (id, sid) = await SentMessageAsync(recordSid: false);

        Assert.Equal(HttpStatusCode.NoContent, (await PostForMessageAsync(id, sid, "sent")).StatusCode);

        Assert.Equal("sent", await StatusAsync(id));
        Assert.Equal(sid, await api.Database.ScalarAsync<string>("SELECT twilio_sid FROM messages WHERE id = $1", id));
        Assert.NotNull(await api.Database.ScalarAsync<DateTime?>("SELECT sent_at FROM messages WHERE id = $1", id));
        Assert.Equal("+15005550006", await api.Database.ScalarAsync<string>("SELECT from_phone FROM messages WHERE id = $1", id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM message_status_callbacks WHERE twilio_sid = $1", sid));
    }

    [Fact]
    public async Task ASendingCallbackCarryingOurMessageIdRecordsTheSidAndLeavesTheStatus()
    {
        var (id, sid) = await SentMessageAsync(recordSid: false);

        await PostForMessageAsync(id, sid, "sending");

        Assert.Equal("sending", await StatusAsync(id));
        Assert.Equal(sid, await api.Database.ScalarAsync<string>("SELECT twilio_sid FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task ACallbackCarryingOurMessageIdForAMessageSentBackToWaitTakesItOutOfTheQueueToRelease()
    {
        // A take-over's look-up missed the message at Twilio and sent it back to wait for the window; Twilio had it.
        var (id, sid) = await SentMessageAsync(recordSid: false);
        await api.Database.ExecuteAsync("UPDATE messages SET status = 'scheduled', send_after = now() + interval '10 hours' WHERE id = $1", id);

        Assert.Equal(HttpStatusCode.NoContent, (await PostForMessageAsync(id, sid, "delivered")).StatusCode);

        Assert.Equal("delivered", await StatusAsync(id));
        Assert.Equal(sid, await api.Database.ScalarAsync<string>("SELECT twilio_sid FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task CallbacksCarryingOurMessageIdMoveThatMessageForwardOnly()
    {
        var (id, sid) = await SentMessageAsync();

        foreach (var status in new[] { "delivered", "sending", "sent" })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await PostForMessageAsync(id, sid, status)).StatusCode);
        }

        Assert.Equal("delivered", await StatusAsync(id));
    }

    [Fact]
    public async Task ACallbackCarryingOurMessageIdNeverMovesAnotherMessage()
    {
        var (waiting, _) = await SentMessageAsync(recordSid: false);
        var (other, otherSid) = await SentMessageAsync();

        // Twilio says otherSid belongs to the waiting message; the other message holds it and must not move.
        Assert.Equal(HttpStatusCode.NoContent, (await PostForMessageAsync(waiting, otherSid, "delivered")).StatusCode);

        Assert.Equal("sent", await StatusAsync(other));
        Assert.Equal("sending", await StatusAsync(waiting));
        Assert.Null(await api.Database.ScalarAsync<string>("SELECT twilio_sid FROM messages WHERE id = $1", waiting));
    }

    [Fact]
    public async Task ACallbackCarryingOurMessageIdAndAnotherSidThanItsOwnChangesNothing()
    {
        var (id, sid) = await SentMessageAsync();

        await PostForMessageAsync(id, "SM" + Guid.NewGuid().ToString("N"), "undelivered", 30003);

        Assert.Equal("sent", await StatusAsync(id));
        Assert.Equal(sid, await api.Database.ScalarAsync<string>("SELECT twilio_sid FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task ACallbackWhoseMessageIdWasChangedAfterSigningIsRefused()
    {
        var (id, sid) = await SentMessageAsync(recordSid: false);
        var (other, _) = await SentMessageAsync(recordSid: false);
        var fields = Fields(sid, "sent");
        var signature = SmsRemarketing.Twilio.TwilioRequestSignature.Compute(
            WebhookFixture.AuthToken, $"{WebhookFixture.PublicBaseUrl}{Path}?message_id={id}", fields);

        await (await api.PostSignedAsync($"{Path}?message_id={other}", fields, signature)).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Null(await api.Database.ScalarAsync<string>("SELECT twilio_sid FROM messages WHERE id = ANY($1)", (object)new[] { id, other }));
    }

    private Task<HttpResponseMessage> PostForMessageAsync(Guid messageId, string sid, string status, int? errorCode = null) =>
        api.PostSignedAsync($"{Path}?message_id={messageId}", Fields(sid, status, errorCode));

    private Task<HttpResponseMessage> PostAsync(string sid, string status, int? errorCode = null) =>
        api.PostSignedAsync(Path, Fields(sid, status, errorCode));

    private static Dictionary<string, string> Fields(string sid, string status, int? errorCode = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["MessageSid"] = sid, ["SmsSid"] = sid, ["AccountSid"] = "AC" + new string('0', 32),
            ["From"] = "+15005550006", ["To"] = "+14155550100", ["MessageStatus"] = status, ["SmsStatus"] = status,
            ["ApiVersion"] = "2010-04-01",
        };
        if (errorCode is { } code)
        {
            fields["ErrorCode"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return fields;
    }

    /// <summary>A message the Dispatcher has sent (status sent with its SID), or is sending (no SID recorded yet).</summary>
    private async Task<(Guid Id, string Sid)> SentMessageAsync(bool recordSid = true)
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550150");
        var id = Guid.CreateVersion7();
        var sid = "SM" + Guid.NewGuid().ToString("N");
        await api.Database.ExecuteAsync("""
            INSERT INTO messages (id, client_id, lead_id, source, to_phone, body, segments, status, twilio_sid, attempts, created_at, updated_at, sent_at)
            SELECT $1, client_id, id, 'manual', phone, 'Hi', 1, $3, $4::text, 1, now(), now(), $5::timestamptz FROM leads WHERE id = $2
            """, id, lead, recordSid ? "sent" : "sending", recordSid ? sid : DBNull.Value, recordSid ? DateTime.UtcNow : DBNull.Value);
        return (id, sid);
    }

    private Task<string?> StatusAsync(Guid id) => api.Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", id);
}
