using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

public sealed class StatusCallbackUrlTests : DispatcherTest
{
    // Nothing listens there: the emulator's callbacks fail, which is no concern of these tests.
    private const string CallbackUrl = "http://127.0.0.1:9/webhooks/twilio/status?source=dispatcher";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Twilio:StatusCallbackUrl"] = CallbackUrl,
    };

    [Fact]
    public async Task EachSendCarriesOurMessageIdInItsStatusCallbackUrl()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead);

        await PublishAsync(message);

        await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        var form = Assert.Single(await TwilioAdmin.GetMessagesAsync()).Form;
        Assert.Equal($"{CallbackUrl}&message_id={message.Id}", Assert.Single(form["StatusCallback"]));
    }
}
