using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

public sealed class SendSmsTests : DispatcherTest
{
    [Fact]
    public async Task AQueuedMessageIsSentOnceThroughTwilioWithOneCreditDebited()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 3);
        var message = await QueueMessageAsync(lead, "Hi Ada, your table is ready 🍽");

        await PublishAsync(message);

        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        var atTwilio = Assert.Single(await TwilioAdmin.GetMessagesAsync());
        Assert.Equal(atTwilio.Sid, sent.TwilioSid);
        Assert.Equal(["+14155550100"], atTwilio.Form["To"]);
        Assert.Equal(["+15005550006"], atTwilio.Form["From"]);
        Assert.Equal(["Hi Ada, your table is ready 🍽"], atTwilio.Form["Body"]);
        Assert.NotNull(sent.SentAt);
        Assert.Equal(1, sent.Attempts);
        Assert.Equal(2L, await BalanceAsync(client.Id));
        Assert.Equal(2L, await LedgerSumAsync(client.Id));
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE message_id = $1 AND kind = 'sms_debit'", message.Id));
    }

    [Fact]
    public async Task ARedeliveredEventNeverSendsASecondSmsOrTakesASecondCredit()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 5);
        var message = await QueueMessageAsync(lead);
        var eventId = Guid.NewGuid();

        await Task.WhenAll(PublishAsync(message, eventId), PublishAsync(message, eventId), PublishAsync(message, eventId));
        await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        // A late duplicate, after the first delivery finished, is just as harmless.
        await PublishAsync(message, eventId);
        var marker = await QueueMessageAsync(lead, "marker");
        await PublishAsync(marker);
        await WaitForStatusAsync(marker.Id, MessageStatus.Sent);

        Assert.Equal(2, (await TwilioAdmin.GetMessagesAsync()).Count);
        Assert.Equal(3L, await BalanceAsync(client.Id));
        Assert.Equal(2, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
    }

    [Fact]
    public async Task FiftyConcurrentSendsForTenCreditsSendTenAndFailFortyForCredit()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10);
        var messages = new List<Message>();
        for (var i = 0; i < 50; i++)
        {
            messages.Add(await QueueMessageAsync(lead, $"Offer {i}"));
        }

        await Task.WhenAll(messages.Select(m => PublishAsync(m)));

        var settled = await Task.WhenAll(messages.Select(m => WaitForStatusAsync(m.Id, MessageStatus.Sent, MessageStatus.Failed)));
        Assert.Equal(10, settled.Count(m => m.Status == MessageStatus.Sent));
        Assert.Equal(40, settled.Count(m => m.Status == MessageStatus.Failed && m.ErrorMessage == "Insufficient credits."));
        Assert.Equal(10, (await TwilioAdmin.GetMessagesAsync()).Count);
        Assert.Equal(0L, await BalanceAsync(client.Id));
        Assert.Equal(0L, await LedgerSumAsync(client.Id));
    }

    [Fact]
    public async Task WithoutCreditTheMessageFailsAndNoRequestReachesTwilio()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 0);
        var message = await QueueMessageAsync(lead);

        await PublishAsync(message);

        var failed = await WaitForStatusAsync(message.Id, MessageStatus.Failed);
        Assert.Equal("Insufficient credits.", failed.ErrorMessage);
        Assert.Equal(0, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(0L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task AnOptedOutLeadIsSuppressedWithoutCreditOrRequest()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 2);
        await Database.OptOutLeadAsync(lead.Id);
        var message = await QueueMessageAsync(lead);

        await PublishAsync(message);

        var suppressed = await WaitForStatusAsync(message.Id, MessageStatus.Suppressed);
        Assert.StartsWith("Suppressed: the number opted out at ", suppressed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(2L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task AnInactiveClientsMessageIsSkippedWithoutCredit()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 2);
        await Database.ExecuteAsync("UPDATE clients SET is_active = false WHERE id = $1", client.Id);
        var message = await QueueMessageAsync(lead);

        await PublishAsync(message);

        var skipped = await WaitForStatusAsync(message.Id, MessageStatus.Skipped);
        Assert.Equal("Skipped: the client is inactive.", skipped.ErrorMessage);
        Assert.Equal(0, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(2L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task ConcurrentClaimsShareTransactionsAndEachMessageIsClaimedAndDebitedOnce()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 25);
        var messages = new List<Message>();
        for (var i = 0; i < 40; i++)
        {
            messages.Add(await QueueMessageAsync(lead, $"Offer {i}"));
        }

        // Every message asked for three times at once, as duplicate deliveries racing each other would.
        var transitions = Services.GetRequiredService<MessageTransitions>();
        var claims = await Task.WhenAll(messages.SelectMany(m => Enumerable.Repeat(m.Id, 3))
            .Select(id => transitions.ClaimAsync(id, CancellationToken.None)));

        var granted = claims.Where(c => c.Claim is not null).ToList();
        Assert.Equal(messages.Select(m => m.Id).Order(), granted.Select(c => c.Claim!.Id).Order());
        Assert.Equal(80, claims.Count(c => c.Claim is null && c.Settled == SendOutcome.Duplicate));
        Assert.Equal(25, granted.Count(c => c.Settled is null));
        Assert.Equal(15, granted.Count(c => c.Settled == SendOutcome.Failed));
        Assert.Equal(0L, await BalanceAsync(client.Id));
        Assert.Equal(25L, await Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE kind = 'sms_debit'"));
        Assert.Equal(15L, await Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE status = 'failed' AND error_message = 'Insufficient credits.'"));
        // The claims that were paid for are the oldest messages (version 7 ids sort by time); and claims made at
        // once shared transactions (the claim statement stamps every row it claims with its own start time).
        Assert.Equal(messages.Select(m => m.Id).Order().Take(25), granted.Where(c => c.Settled is null).Select(c => c.Claim!.Id).Order());
        Assert.True(await Database.ScalarAsync<long>("SELECT count(DISTINCT last_attempt_at) FROM messages") < 40);
    }

    [Fact]
    public async Task AMessageOfAClientThatPaysPerSegmentDebitsItsSegmentsOrFailsWhenTheyAreNotCovered()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 5);
        var threeSegments = await QueueMessageAsync(lead, "A long offer", creditCost: 3);

        await PublishAsync(threeSegments);
        await WaitForStatusAsync(threeSegments.Id, MessageStatus.Sent);
        Assert.Equal(2L, await BalanceAsync(client.Id));
        Assert.Equal(-3L, await Database.ScalarAsync<long>("SELECT amount FROM credit_transactions WHERE message_id = $1", threeSegments.Id));

        var notCovered = await QueueMessageAsync(lead, "Another long offer", creditCost: 3);
        await PublishAsync(notCovered);
        var failed = await WaitForStatusAsync(notCovered.Id, MessageStatus.Failed);
        Assert.Equal("Insufficient credits.", failed.ErrorMessage);
        Assert.Equal(2L, await BalanceAsync(client.Id));
        Assert.Equal(2L, await LedgerSumAsync(client.Id));
        Assert.Single(await TwilioAdmin.GetMessagesAsync());
    }
}
