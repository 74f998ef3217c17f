using System.Net.Http.Headers;
using System.Text;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Dispatcher.Tests.Reconciliation;

public sealed class StuckMessageReconcilerTests : DispatcherTest
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Dispatcher:StuckAfter"] = "00:00:01",
        ["Dispatcher:ReconcileInterval"] = "00:00:00.200",
        // Short, so that a slow look-up times out within a test.
        ["Twilio:RequestTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task AMessageLeftSendingThatTwilioHasIsMarkedSentWithoutResending()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Your code is 1234");
        // A Dispatcher reached Twilio, then died before recording the answer. In that order: stranded first, the
        // reconciler (every 200 ms) could look before Twilio has the message, and rightly send it.
        var sid = await CreateAtTwilioAsync(lead.Phone, "Your code is 1234");
        await StrandAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);

        Assert.Equal(sid, sent.TwilioSid);
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
    }

    [Fact]
    public async Task AMessageLeftSendingThatTwilioNeverGotIsSentOnce()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Your code is 5678");
        // A Dispatcher debited and claimed the message, then died before calling Twilio.
        await StrandAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);

        Assert.Equal(Assert.Single(await TwilioAdmin.GetMessagesAsync()).Sid, sent.TwilioSid);
    }

    [Fact]
    public async Task AStuckMessageWhoseLeadOptedOutIsSuppressedWithItsCreditBackBeforeAnyLookUp()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Last chance");
        // The opt-out lands before the message is stranded: the reconciler looks every 200 ms and, in the other
        // order, could rightly send it before the opt-out.
        await Database.OptOutLeadAsync(lead.Id);
        await StrandAsync(message);

        var suppressed = await WaitForStatusAsync(message.Id, MessageStatus.Suppressed);

        Assert.StartsWith("Suppressed: the number opted out", suppressed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1L, await BalanceAsync(client.Id));
        var counters = await TwilioAdmin.GetCountersAsync();
        Assert.Equal((0L, 0L), (counters.CreateRequests, counters.ListRequests));
    }

    [Fact]
    public async Task AStuckMessageOfADeactivatedClientIsSkippedWithItsCreditBack()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Last chance");
        await Database.ExecuteAsync("UPDATE clients SET is_active = false WHERE id = $1", client.Id);
        await StrandAsync(message);

        var skipped = await WaitForStatusAsync(message.Id, MessageStatus.Skipped);

        Assert.Equal("Skipped: the client is inactive.", skipped.ErrorMessage);
        Assert.Equal(1L, await BalanceAsync(client.Id));
        Assert.Equal(0L, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
    }

    [Fact]
    public async Task ALookUpThatTimesOutLeavesTheDispatcherServing()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 2);
        var stranded = await QueueMessageAsync(lead, "Your code is 1111");
        // Every call to Twilio takes longer than the client waits: the reconciler's look-up times out.
        await TwilioAdmin.SetFaultsAsync(new FaultSettings { LatencyMs = 3_000 });
        await StrandAsync(stranded);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        await TwilioAdmin.SetFaultsAsync(new FaultSettings());

        var fresh = await QueueMessageAsync(lead, "Your code is 2222");
        await PublishAsync(fresh);

        // Both the stranded message (on a later round) and a new one are still sent: the Dispatcher kept serving.
        await WaitForStatusAsync(fresh.Id, MessageStatus.Sent);
        var sent = await WaitForStatusAsync(stranded.Id, MessageStatus.Sent);
        Assert.Equal(2, (await TwilioAdmin.GetMessagesAsync()).Count);
        Assert.Contains(await TwilioAdmin.GetMessagesAsync(), m => m.Sid == sent.TwilioSid);
    }

    [Fact]
    public async Task TwoTenantsWithTheSameBodyToOneNumberKeepTheirOwnSids()
    {
        const string body = "Your table is ready";
        var (first, firstLead) = await ArrangeClientAsync(credits: 1);
        var (second, secondLead) = await ArrangeClientAsync(credits: 1);
        await Database.ExecuteAsync("UPDATE clients SET from_number = $2 WHERE id = $1", first.Id, "+14155550001");
        await Database.ExecuteAsync("UPDATE clients SET from_number = $2 WHERE id = $1", second.Id, "+14155550002");
        var firstMessage = await QueueMessageAsync(firstLead, body);
        var secondMessage = await QueueMessageAsync(secondLead, body);
        // Both reached Twilio, each from its tenant's number, and both answers were lost.
        var firstSid = await CreateAtTwilioAsync(firstLead.Phone, body, "+14155550001");
        var secondSid = await CreateAtTwilioAsync(secondLead.Phone, body, "+14155550002");
        await StrandAsync(firstMessage, secondsAgo: 70);
        await StrandAsync(secondMessage, secondsAgo: 60);

        var firstSent = await WaitForStatusAsync(firstMessage.Id, MessageStatus.Sent);
        var secondSent = await WaitForStatusAsync(secondMessage.Id, MessageStatus.Sent);

        var atTwilio = await TwilioAdmin.GetMessagesAsync();
        Assert.Equal(2, atTwilio.Count);
        Assert.Equal("+14155550001", Assert.Single(atTwilio, m => m.Sid == firstSent.TwilioSid).Form["From"].Single());
        Assert.Equal("+14155550002", Assert.Single(atTwilio, m => m.Sid == secondSent.TwilioSid).Form["From"].Single());
        Assert.Equal((firstSid, secondSid), (firstSent.TwilioSid, secondSent.TwilioSid));
    }

    [Fact]
    public async Task TwoTenantsWithTheSameBodyThroughTheirOwnMessagingServicesKeepTheirOwnSids()
    {
        const string body = "Your table is ready";
        const string firstService = "MG" + "11111111111111111111111111111111";
        const string secondService = "MG" + "22222222222222222222222222222222";
        var (first, firstLead) = await ArrangeClientAsync(credits: 1);
        var (second, secondLead) = await ArrangeClientAsync(credits: 1);
        await Database.ExecuteAsync("UPDATE clients SET messaging_service_sid = $2 WHERE id = $1", first.Id, firstService);
        await Database.ExecuteAsync("UPDATE clients SET messaging_service_sid = $2 WHERE id = $1", second.Id, secondService);
        var firstMessage = await QueueMessageAsync(firstLead, body);
        var secondMessage = await QueueMessageAsync(secondLead, body);
        // Twilio's list cannot filter by service, and both services send from the same pool number here.
        var firstSid = await CreateAtTwilioAsync(firstLead.Phone, body, service: firstService);
        var secondSid = await CreateAtTwilioAsync(secondLead.Phone, body, service: secondService);
        await StrandAsync(firstMessage, secondsAgo: 70);
        await StrandAsync(secondMessage, secondsAgo: 60);

        var firstSent = await WaitForStatusAsync(firstMessage.Id, MessageStatus.Sent);
        var secondSent = await WaitForStatusAsync(secondMessage.Id, MessageStatus.Sent);

        Assert.Equal(2, (await TwilioAdmin.GetMessagesAsync()).Count);
        Assert.Equal((firstSid, secondSid), (firstSent.TwilioSid, secondSent.TwilioSid));
    }

    [Fact]
    public async Task ASidThatAStatusCallbackRecordedIsUsedWithoutAskingTwilio()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Your code is 3333");
        var sid = await CreateAtTwilioAsync(lead.Phone, "Your code is 3333");
        await StrandAsync(message);
        // A callback carrying our message id tied the SID to the message; its 'sending' status moved nothing.
        await Database.ExecuteAsync("UPDATE messages SET twilio_sid = $2 WHERE id = $1", message.Id, sid);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);

        Assert.Equal(sid, sent.TwilioSid);
        var counters = await TwilioAdmin.GetCountersAsync();
        Assert.Equal((1L, 0L), (counters.CreateRequests, counters.ListRequests));
    }

    private async Task StrandAsync(Message message, int secondsAgo = 60)
    {
        // One statement, as the claim does it: the reconciler never sees a message sending without its debit.
        await Database.ExecuteAsync("""
            WITH stranded AS (
                UPDATE messages SET status = 'sending', attempts = 1, last_attempt_at = now() - $2 * interval '1 second'
                WHERE id = $1
                RETURNING id, client_id)
            INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
            SELECT client_id, -1, 'sms_debit', id, now() FROM stranded
            """, message.Id, secondsAgo);
    }

    private async Task<string> CreateAtTwilioAsync(string to, string body, string from = "+15005550006", string? service = null)
    {
        using var http = new HttpClient { BaseAddress = Twilio.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Twilio.Options.AccountSid}:{Twilio.Options.AuthToken}")));
        var response = await http.PostAsync(
            $"2010-04-01/Accounts/{Twilio.Options.AccountSid}/Messages.json",
            new FormUrlEncodedContent(
                [new("To", to), service is null ? new("From", from) : new("MessagingServiceSid", service), new("Body", body)]));
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("sid").GetString()!;
    }
}
