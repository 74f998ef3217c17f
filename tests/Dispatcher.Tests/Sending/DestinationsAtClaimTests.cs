using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

/// <summary>
/// The client's destinations and daily caps applied again at the claim, just before Twilio is called: the operator
/// may narrow them after a message was queued, and queued messages may together pass a cap.
/// </summary>
public sealed class DestinationsAtClaimTests : DispatcherTest
{
    [Fact]
    public async Task ACountryTheOperatorRemovedAfterQueueingIsSkippedAtClaimUnsentAndUncharged()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10, phone: "+442071838750");
        await Database.ExecuteAsync("UPDATE clients SET allowed_countries = '{GB}' WHERE id = $1", client.Id);
        var message = await QueueMessageAsync(lead, creditCost: 2);
        await Database.ExecuteAsync("UPDATE clients SET allowed_countries = '{}' WHERE id = $1", client.Id);

        await PublishAsync(message);

        var skipped = await WaitForStatusAsync(message.Id, MessageStatus.Skipped);
        Assert.Contains("destination.country_not_allowed", skipped.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(10L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task APremiumRateNumberIsSkippedAtClaimUnderTheDefaultDenyList()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10, phone: "+19002345678");
        var message = await QueueMessageAsync(lead);

        await PublishAsync(message); // the client's default deny list holds premium_rate

        var skipped = await WaitForStatusAsync(message.Id, MessageStatus.Skipped);
        Assert.Contains("destination.number_type_denied", skipped.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(10L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task QueuedMessagesPastTheDailyMessageCapAreSkippedAtClaimWithNoCharge()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10);
        await Database.ExecuteAsync("UPDATE clients SET daily_message_cap = 2 WHERE id = $1", client.Id);
        var messages = new List<Message>();
        for (var i = 0; i < 3; i++)
        {
            messages.Add(await QueueMessageAsync(lead, $"Hi {i}"));
        }

        foreach (var message in messages)
        {
            await PublishAsync(message);
            await WaitForStatusAsync(message.Id, message == messages[^1] ? MessageStatus.Skipped : MessageStatus.Sent);
        }

        var last = await WaitForStatusAsync(messages[^1].Id, MessageStatus.Skipped);
        Assert.Contains("spend.daily_message_cap", last.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(8L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task AMessageThatWouldPassTheDailyCreditCapIsSkippedAtClaim()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10);
        await Database.ExecuteAsync("UPDATE clients SET daily_credit_cap = 5 WHERE id = $1", client.Id);
        var first = await QueueMessageAsync(lead, "Three segments", creditCost: 3);
        var second = await QueueMessageAsync(lead, "Three more", creditCost: 3);

        await PublishAsync(first);
        await WaitForStatusAsync(first.Id, MessageStatus.Sent);
        await PublishAsync(second);

        var skipped = await WaitForStatusAsync(second.Id, MessageStatus.Skipped);
        Assert.Contains("spend.daily_credit_cap", skipped.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(7L, await BalanceAsync(client.Id));
    }
}
