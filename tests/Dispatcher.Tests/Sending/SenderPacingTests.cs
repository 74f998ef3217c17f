using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

public sealed class SenderPacingTests : DispatcherTest
{
    // One message a second for the one sender these messages share.
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Dispatcher:SenderMessagesPerSecond"] = "1",
    };

    [Fact]
    public async Task AMessageSettledWhileItWaitsForItsSendersPaceIsNotSent()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 3);
        var first = await QueueMessageAsync(lead, "first");
        var second = await QueueMessageAsync(lead, "second");
        var third = await QueueMessageAsync(lead, "third");

        // One after the other, so that they queue for the sender in this order: the third's turn comes two seconds
        // after the first was sent.
        await PublishAsync(first);
        await WaitForStatusAsync(first.Id, MessageStatus.Sent);
        await PublishAsync(second);
        await WaitForStatusAsync(second.Id, MessageStatus.Sending, MessageStatus.Sent);
        await PublishAsync(third);
        await WaitForStatusAsync(third.Id, MessageStatus.Sending, MessageStatus.Sent);
        // Settled by someone else (a rule, another sender) while it waits for its turn.
        Assert.Equal(1, await Database.ExecuteAsync(
            "UPDATE messages SET status = 'suppressed', error_message = 'settled elsewhere' WHERE id = $1 AND status = 'sending'", third.Id));

        await WaitForStatusAsync(second.Id, MessageStatus.Sent);
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal(["first", "second"], (await TwilioAdmin.GetMessagesAsync()).Select(m => m.Form["Body"].Single()));
        Assert.Equal(MessageStatus.Suppressed, (await WaitForStatusAsync(third.Id, MessageStatus.Suppressed)).Status);
    }
}
