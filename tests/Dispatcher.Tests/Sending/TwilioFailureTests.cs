using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Twilio;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

public sealed class TwilioFailureTests : DispatcherTest
{
    [Fact]
    public async Task A429IsRetriedUntilTwilioAccepts()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead);
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.RateLimited, count: 2, retryAfterSeconds: 0);

        await PublishAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        var counters = await TwilioAdmin.GetCountersAsync();
        Assert.Equal(2, counters.RateLimited);
        Assert.Equal(0, counters.ListRequests); // a 429 proves nothing was created: retried without a look-up
        Assert.Single(await TwilioAdmin.GetMessagesAsync());
        Assert.Equal(3, sent.Attempts);
        Assert.Equal(0L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task AStormOf500sIsRetriedUntilTwilioAccepts()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead);
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.ServerError, count: 4);

        await PublishAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        Assert.Equal(4, (await TwilioAdmin.GetCountersAsync()).ServerErrors);
        Assert.Equal(4, (await TwilioAdmin.GetCountersAsync()).ListRequests); // each 5xx may follow a create
        Assert.Single(await TwilioAdmin.GetMessagesAsync());
        Assert.Equal(5, sent.Attempts);
        Assert.Equal(0L, await BalanceAsync(client.Id));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)] // a client that pays per segment gets all four back
    public async Task TransientFailuresPastTheLastAttemptFailTheMessageAndReturnTheCredit(int creditCost)
    {
        var (client, lead) = await ArrangeClientAsync(credits: creditCost);
        var message = await QueueMessageAsync(lead, creditCost: creditCost);
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.ServerError, count: 10);

        await PublishAsync(message);

        var failed = await WaitForStatusAsync(message.Id, MessageStatus.Failed);
        Assert.Equal(5, (await TwilioAdmin.GetCountersAsync()).ServerErrors);
        Assert.Equal(20500, failed.ErrorCode);
        Assert.StartsWith("Twilio did not accept the message after 5 attempts", failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(creditCost, await BalanceAsync(client.Id));
        Assert.Equal(creditCost, await LedgerSumAsync(client.Id));
    }

    [Theory]
    [InlineData("+15005550001", 21211)]
    [InlineData("+15005550002", 21612)]
    [InlineData("+15005550003", 21408)]
    [InlineData("+15005550009", 21614)]
    public async Task PermanentErrorsAreRecordedWithTwilioCodeAndNotRetried(string to, int code)
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1, phone: to);
        await TextTwilioMagicNumbersAsync(client.Id);
        var message = await QueueMessageAsync(lead);

        await PublishAsync(message);

        var failed = await WaitForStatusAsync(message.Id, MessageStatus.Failed);
        Assert.Equal(code, failed.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(failed.ErrorMessage));
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(1L, await BalanceAsync(client.Id)); // Twilio created nothing and charges nothing: neither do we
    }

    [Fact]
    public async Task AnUnsubscribedRecipientOptsTheLeadOutWithAConsentEventAndCostsNoCredit()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1, phone: "+15005550004");
        await TextTwilioMagicNumbersAsync(client.Id);
        var message = await QueueMessageAsync(lead);

        await PublishAsync(message);

        var failed = await WaitForStatusAsync(message.Id, MessageStatus.Failed);
        Assert.Equal(21610, failed.ErrorCode);
        Assert.NotNull(await Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead.Id));
        Assert.Equal("opt_out/twilio_error_21610", await Database.ScalarAsync<string>(
            "SELECT string_agg(kind || '/' || source, ',') FROM consent_events WHERE lead_id = $1", lead.Id));
        Assert.Equal(1L, await BalanceAsync(client.Id));
        Assert.Equal(1L, await LedgerSumAsync(client.Id));
    }

    [Fact]
    public async Task ALostResponseIsReconciledWithTwilioAndNeverSentTwice()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead);
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.LostResponse);

        await PublishAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        var atTwilio = Assert.Single(await TwilioAdmin.GetMessagesAsync());
        Assert.Equal(atTwilio.Sid, sent.TwilioSid);
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(0L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task AnUnreadableAnswerIsReconciledLikeALostOne()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead);
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.MalformedResponse);

        await PublishAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        Assert.Equal(Assert.Single(await TwilioAdmin.GetMessagesAsync()).Sid, sent.TwilioSid);
    }

    [Fact]
    public async Task A500AfterTwilioCreatedTheMessageDoesNotSendItTwice()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead);
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.ServerErrorAfterCreate);

        await PublishAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        var atTwilio = Assert.Single(await TwilioAdmin.GetMessagesAsync());
        Assert.Equal(atTwilio.Sid, sent.TwilioSid);
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(0L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task ALostAnswerIsFoundAtTwilioEvenWhenTwilioShortenedTheLinksInItsBody()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Hi Ada, book again at https://acme.test/book?lead=42");
        await TwilioAdmin.SetFaultsAsync(new FaultSettings { ShortenLinks = true });
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.LostResponse);

        await PublishAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        var atTwilio = Assert.Single(await TwilioAdmin.GetMessagesAsync());
        Assert.Equal(atTwilio.Sid, sent.TwilioSid);
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
    }

    [Fact]
    public async Task TwoTenantsWhoseAnswersWereBothLostForTheSameBodyToOneNumberKeepTheirOwnSids()
    {
        const string body = "Your table is ready";
        var (first, firstLead) = await ArrangeClientAsync(credits: 1);
        var (second, secondLead) = await ArrangeClientAsync(credits: 1);
        await Database.ExecuteAsync("UPDATE clients SET from_number = $2 WHERE id = $1", first.Id, "+14155550001");
        await Database.ExecuteAsync("UPDATE clients SET from_number = $2 WHERE id = $1", second.Id, "+14155550002");
        var firstMessage = await QueueMessageAsync(firstLead, body);
        var secondMessage = await QueueMessageAsync(secondLead, body);
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.LostResponse, count: 2);

        await PublishAsync(firstMessage);
        await PublishAsync(secondMessage);

        var firstSent = await WaitForStatusAsync(firstMessage.Id, MessageStatus.Sent);
        var secondSent = await WaitForStatusAsync(secondMessage.Id, MessageStatus.Sent);
        var atTwilio = await TwilioAdmin.GetMessagesAsync();
        Assert.Equal(2, atTwilio.Count);
        Assert.Equal("+14155550001", Assert.Single(atTwilio, m => m.Sid == firstSent.TwilioSid).Form["From"].Single());
        Assert.Equal("+14155550002", Assert.Single(atTwilio, m => m.Sid == secondSent.TwilioSid).Form["From"].Single());
    }

    [Fact]
    public async Task A500LookedUpWhileAnotherSendToTheNumberAwaitsItsLookUpDoesNotTakeThatSendsSid()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 2);
        // Another message to the lead whose create reached Twilio while its answer was lost: Twilio has it, we have no SID yet.
        var other = await QueueMessageAsync(lead, "Hi Ada, your table is ready");
        await Services.GetRequiredService<TwilioMessagesClient>().SendAsync(lead.Phone, other.Body);
        var message = await QueueMessageAsync(lead, "Hi Ada, your order has shipped");
        await TwilioAdmin.EnqueueFaultAsync(OneShotFaultKind.ServerError);

        await PublishAsync(message);

        var settled = await WaitForStatusAsync(message.Id, MessageStatus.Sent, MessageStatus.Failed);
        var atTwilio = Assert.Single(await TwilioAdmin.GetMessagesAsync(), m => m.Form["Body"].Single() == message.Body);
        Assert.Equal(MessageStatus.Sent, settled.Status);
        Assert.Equal(atTwilio.Sid, settled.TwilioSid);
    }

    /// <summary>
    /// Twilio's magic test numbers (+1 500 555 00xx) are in NANP's 500 range, which libphonenumber classifies as
    /// personal numbers, denied by default: the client of a test that texts them lifts that type, as an operator would.
    /// </summary>
    private Task<int> TextTwilioMagicNumbersAsync(Guid clientId) =>
        Database.ExecuteAsync("UPDATE clients SET denied_number_types = array_remove(denied_number_types, 'personal_number') WHERE id = $1", clientId);
}
