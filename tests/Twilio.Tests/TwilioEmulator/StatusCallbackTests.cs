using SmsRemarketing.Testing;
using SmsRemarketing.Twilio.Tests.Infrastructure;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Twilio.Tests.TwilioEmulator;

public sealed class StatusCallbackTests : EmulatorTest
{
    private const string Unreachable = "+14155550111";

    protected override IEnumerable<KeyValuePair<string, string?>> EmulatorSettings =>
    [
        .. base.EmulatorSettings,
        new("Emulator:UndeliveredTo:0", Unreachable),
    ];

    [Fact]
    public async Task CallbacksReportSendingSentAndDeliveredInOrderWithValidSignatures()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var callbackUrl = receiver.Url("twilio/status?lead=42&attempt=1");
        var client = CreateClient();

        var sid = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", callbackUrl)).Sid;
        var callbacks = await receiver.WaitForAsync(sid, 3);

        Assert.Equal(["sending", "sent", "delivered"], callbacks.Select(c => c["MessageStatus"]));
        Assert.All(callbacks, c =>
        {
            Assert.Equal("/twilio/status?lead=42&attempt=1", c.PathAndQuery);
            Assert.True(TwilioRequestSignature.Verify(Emulator.Options.AuthToken, callbackUrl.AbsoluteUri, c.Form, c.Signature), "signature");
            Assert.Equal(sid, c["MessageSid"]);
            Assert.Equal(sid, c["SmsSid"]);
            Assert.Equal(Emulator.Options.AccountSid, c["AccountSid"]);
            Assert.Equal(Sender, c["From"]);
            Assert.Equal(Recipient, c["To"]);
            Assert.Equal(c["MessageStatus"], c["SmsStatus"]);
            Assert.Equal("2010-04-01", c["ApiVersion"]);
            Assert.False(c.Has("ErrorCode"));
            Assert.False(c.Has("MessagingServiceSid"));
            Assert.StartsWith("TwilioProxy/", c.UserAgent, StringComparison.Ordinal);
        });
        Assert.Equal("delivered", (await client.FetchAsync(sid))!.Status);
    }

    [Fact]
    public async Task ACallbackUrlCarryingOurMessageIdIsPostedWithItsQueryExactlyAsGivenAndSignedOverIt()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var messageId = Guid.CreateVersion7();
        var callbackUrl = receiver.Url($"webhooks/twilio/status?message_id={messageId}");
        var sid = Assert.IsType<SendAccepted>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", callbackUrl)).Sid;

        var callbacks = await receiver.WaitForAsync(sid, 3);

        Assert.Equal(callbackUrl.AbsoluteUri, Assert.Single((await Admin.GetMessagesAsync()).Single().Form["StatusCallback"]));
        Assert.All(callbacks, c =>
        {
            Assert.Equal($"/webhooks/twilio/status?message_id={messageId}", c.PathAndQuery);
            Assert.True(TwilioRequestSignature.Verify(Emulator.Options.AuthToken, callbackUrl.AbsoluteUri, c.Form, c.Signature), "signature");
        });
    }

    [Fact]
    public async Task ASignatureDoesNotVerifyAgainstAnotherUrlOrToken()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var callbackUrl = receiver.Url("status?lead=42");
        var sid = Assert.IsType<SendAccepted>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", callbackUrl)).Sid;

        var first = (await receiver.WaitForAsync(sid, 1))[0];

        Assert.True(TwilioRequestSignature.Verify(Emulator.Options.AuthToken, callbackUrl.AbsoluteUri, first.Form, first.Signature));
        Assert.False(TwilioRequestSignature.Verify(Emulator.Options.AuthToken, receiver.Url("status?lead=43").AbsoluteUri, first.Form, first.Signature));
        Assert.False(TwilioRequestSignature.Verify("another-token", callbackUrl.AbsoluteUri, first.Form, first.Signature));
    }

    [Fact]
    public async Task AConfiguredUnreachableNumberEndsUndeliveredWithError30003()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var client = CreateClient();

        var sid = Assert.IsType<SendAccepted>(await client.SendAsync(Unreachable, TwilioSender.FromNumber(Sender), "hi", receiver.Url("status"))).Sid;
        var callbacks = await receiver.WaitForAsync(sid, 3);

        Assert.Equal(["sending", "sent", "undelivered"], callbacks.Select(c => c["MessageStatus"]));
        Assert.Equal("30003", callbacks[2]["ErrorCode"]);
        Assert.False(callbacks[1].Has("ErrorCode"));
        var message = await client.FetchAsync(sid);
        Assert.Equal(("undelivered", 30003), (message!.Status, message.ErrorCode));
        Assert.False(string.IsNullOrEmpty(message.ErrorMessage));
    }

    [Fact]
    public async Task UndeliveredNumbersAndTheirErrorCanBeChangedAtRunTime()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await Admin.SetFaultsAsync(new FaultSettings { CallbackStepDelayMs = 5, UndeliveredTo = [Recipient], UndeliveredErrorCode = 30005 });

        var sid = Assert.IsType<SendAccepted>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", receiver.Url("status"))).Sid;
        var callbacks = await receiver.WaitForAsync(sid, 3);

        Assert.Equal(("undelivered", "30005"), (callbacks[2]["MessageStatus"], callbacks[2]["ErrorCode"]));
    }

    [Fact]
    public async Task AMessagingServiceMessageReportsQueuedFirstAndCarriesItsServiceSid()
    {
        const string service = "MG0123456789abcdef0123456789abcdef";
        await using var receiver = await CallbackReceiver.StartAsync();
        var client = CreateClient();

        var accepted = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromMessagingService(service), "hi", receiver.Url("status")));
        var callbacks = await receiver.WaitForAsync(accepted.Sid, 4);

        Assert.Equal("accepted", accepted.Status);
        Assert.Equal(["queued", "sending", "sent", "delivered"], callbacks.Select(c => c["MessageStatus"]));
        Assert.All(callbacks, c => Assert.Equal(service, c["MessagingServiceSid"]));
        Assert.Equal(Emulator.Options.MessagingServiceFrom, callbacks[^1]["From"]);
        var delivered = await client.FetchAsync(accepted.Sid);
        Assert.Equal((Emulator.Options.MessagingServiceFrom, 1), (delivered!.From, delivered.NumSegments));
    }

    [Fact]
    public async Task TheEmulatorRecordsEachCallbackAndTheAnswerItGot()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        var sid = Assert.IsType<SendAccepted>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", receiver.Url("status"))).Sid;

        var records = await Eventually.WaitAsync(() => Admin.GetCallbacksAsync(sid), r => r.Count == 3, "3 callback records");

        Assert.Equal(["sending", "sent", "delivered"], records.Select(r => r.MessageStatus));
        Assert.All(records, r => Assert.Equal((204, 1, null), (r.HttpStatus, r.Attempt, r.Error)));
        Assert.Equal(3, (await Admin.GetCountersAsync()).CallbacksSucceeded);
    }

    [Fact]
    public async Task ACallbackToAClosedPortIsRetriedOnceAndRecordedAsFailed()
    {
        var closedPort = await FreePortAsync();
        var sid = Assert.IsType<SendAccepted>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", new Uri($"http://127.0.0.1:{closedPort}/status"))).Sid;

        var records = await Eventually.WaitAsync(() => Admin.GetCallbacksAsync(sid), r => r.Count == 6, "two attempts per status");

        Assert.Equal([1, 2, 1, 2, 1, 2], records.Select(r => r.Attempt));
        Assert.All(records, r => Assert.Null(r.HttpStatus));
        Assert.Equal("delivered", (await CreateClient().FetchAsync(sid))!.Status);
    }

    [Fact]
    public async Task AMessageWithoutStatusCallbackStillAdvancesToDelivered()
    {
        var client = CreateClient();
        var sid = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi")).Sid;

        await Eventually.WaitAsync(() => client.FetchAsync(sid), m => m?.Status == "delivered", "delivered");

        Assert.Empty(await Admin.GetCallbacksAsync(sid));
    }

    private static async Task<int> FreePortAsync()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        return receiver.BaseAddress.Port;
    }
}
