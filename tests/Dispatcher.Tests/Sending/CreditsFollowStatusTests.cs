using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

/// <summary>A client pays for what Twilio accepted: the debit comes back only with the transition it pays for.</summary>
public sealed class CreditsFollowStatusTests : DispatcherTest
{
    [Fact]
    public async Task ARefundNeverFollowsASent()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 2);
        var message = await QueueMessageAsync(lead);
        var transitions = Services.GetRequiredService<MessageTransitions>();
        var (claim, _) = await transitions.ClaimAsync(message.Id, CancellationToken.None);
        await transitions.MarkSentAsync(message.Id, "SM" + new string('1', 32), null, CancellationToken.None);

        // A late failure of the same attempt (a sender that lost the race to the 'sent' mark) changes nothing.
        await transitions.MarkFailedAsync(claim!, 20500, "A late failure", optOutLead: false, CancellationToken.None);

        Assert.Equal("sent", await Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", message.Id));
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE kind = 'refund'"));
        Assert.Equal(1L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task AMessageTwilioReportsFailedAfterAcceptingItGetsItsCreditBackOnce()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 2);
        var message = await QueueMessageAsync(lead);
        var transitions = Services.GetRequiredService<MessageTransitions>();
        await transitions.ClaimAsync(message.Id, CancellationToken.None);
        await transitions.MarkSentAsync(message.Id, "SM" + new string('2', 32), null, CancellationToken.None);

        // As a 'failed' status callback moves it; then the same again, and an 'undelivered' that cannot move it back.
        await Database.ExecuteAsync("UPDATE messages SET status = 'failed', error_code = 30008 WHERE id = $1 AND status = 'sent'", message.Id);
        await Database.ExecuteAsync("UPDATE messages SET status = 'failed' WHERE id = $1", message.Id);

        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE kind = 'refund'"));
        Assert.Equal(2L, await BalanceAsync(client.Id));
        Assert.Equal(2L, await LedgerSumAsync(client.Id));
    }

    [Fact]
    public async Task AnUndeliveredMessageStaysPaidFor()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 2);
        var message = await QueueMessageAsync(lead);
        var transitions = Services.GetRequiredService<MessageTransitions>();
        await transitions.ClaimAsync(message.Id, CancellationToken.None);
        await transitions.MarkSentAsync(message.Id, "SM" + new string('3', 32), null, CancellationToken.None);

        await Database.ExecuteAsync("UPDATE messages SET status = 'undelivered', error_code = 30003 WHERE id = $1", message.Id);

        Assert.Equal(1L, await BalanceAsync(client.Id));
    }
}
