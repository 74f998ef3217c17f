using System.Net.Http.Headers;
using System.Text;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Dispatcher.Tests.Reconciliation;

public sealed class StuckMessageReconcilerTests : DispatcherTest
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Dispatcher:StuckAfter"] = "00:00:01",
        ["Dispatcher:ReconcileInterval"] = "00:00:00.200",
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
        await StrandAsync(message);
        await Database.ExecuteAsync("UPDATE leads SET opted_out_at = now() WHERE id = $1", lead.Id);

        var suppressed = await WaitForStatusAsync(message.Id, MessageStatus.Suppressed);

        Assert.StartsWith("Suppressed: the lead opted out", suppressed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1L, await BalanceAsync(client.Id));
        var counters = await TwilioAdmin.GetCountersAsync();
        Assert.Equal((0L, 0L), (counters.CreateRequests, counters.ListRequests));
    }

    [Fact]
    public async Task AStuckMessageOfADeactivatedClientIsSkippedWithItsCreditBack()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Last chance");
        await StrandAsync(message);
        await Database.ExecuteAsync("UPDATE clients SET is_active = false WHERE id = $1", client.Id);

        var skipped = await WaitForStatusAsync(message.Id, MessageStatus.Skipped);

        Assert.Equal("Skipped: the client is inactive.", skipped.ErrorMessage);
        Assert.Equal(1L, await BalanceAsync(client.Id));
        Assert.Equal(0L, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
    }

    private async Task StrandAsync(Message message)
    {
        await Database.ExecuteAsync(
            "UPDATE messages SET status = 'sending', attempts = 1, last_attempt_at = now() - interval '1 minute' WHERE id = $1", message.Id);
        await Database.ExecuteAsync(
            "INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at) VALUES ($1, -1, 'sms_debit', $2, now())",
            message.ClientId, message.Id);
    }

    private async Task<string> CreateAtTwilioAsync(string to, string body)
    {
        using var http = new HttpClient { BaseAddress = Twilio.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Twilio.Options.AccountSid}:{Twilio.Options.AuthToken}")));
        var response = await http.PostAsync(
            $"2010-04-01/Accounts/{Twilio.Options.AccountSid}/Messages.json",
            new FormUrlEncodedContent([new("To", to), new("From", "+15005550006"), new("Body", body)]));
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("sid").GetString()!;
    }
}
