using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

public sealed class DatabaseOutageTests : DispatcherTest
{
    protected override bool DatabaseBehindProxy => true;

    // A retry budget of about two seconds, so the outage below outlasts it many times over.
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["DatabaseRetry:MinDelay"] = "00:00:00.050",
        ["DatabaseRetry:MaxDelay"] = "00:00:00.200",
    };

    [Fact]
    public async Task SendsDeliveredWhileTheDatabaseIsAwayLongerThanTheRetryBudgetAreEachSentOnceWhenItIsBack()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 20);
        var messages = new List<Message>();
        for (var i = 0; i < 10; i++)
        {
            messages.Add(await QueueMessageAsync(lead, $"Offer {i}"));
        }

        DatabaseProxy!.Cut();
        await Task.WhenAll(messages.Select(m => PublishAsync(m)));
        await Task.Delay(TimeSpan.FromSeconds(10));
        DatabaseProxy.Restore();

        foreach (var message in messages)
        {
            await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        }

        var atTwilio = await TwilioAdmin.GetMessagesAsync();
        Assert.Equal(messages.Select(m => $"Offer {messages.IndexOf(m)}").Order(), atTwilio.Select(m => m.Form["Body"].Single()).Order());
        Assert.Equal(10L, await BalanceAsync(client.Id));
    }
}
