using SmsRemarketing.Twilio.Tests.Infrastructure;
using SmsRemarketing.TwilioEmulator;

namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioMessagesClientSendTests : EmulatorTest
{
    [Fact]
    public async Task SendingAMessageIsAcceptedAndTheEmulatorReceivesExactlyTheExpectedFormFields()
    {
        var callback = new Uri("https://hooks.example.com/twilio/status?lead=42");

        var result = await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "Hello from the tests", callback);

        var accepted = Assert.IsType<SendAccepted>(result);
        Assert.True(TwilioSid.IsMessageSid(accepted.Sid));
        Assert.StartsWith("SM", accepted.Sid, StringComparison.Ordinal);
        Assert.Equal("queued", accepted.Status);
        Assert.Equal(1, accepted.Segments);
        Assert.Equal(Recipient, accepted.Message.To);
        Assert.Equal(Sender, accepted.Message.From);
        Assert.Equal("outbound-api", accepted.Message.Direction);
        Assert.Null(accepted.Message.Price);
        Assert.NotNull(accepted.Message.DateCreated);

        var received = Assert.Single(await Admin.GetMessagesAsync());
        Assert.Equal(accepted.Sid, received.Sid);
        Assert.Equal(Emulator.Options.AccountSid, received.AuthUsername);
        Assert.Equal(["Body", "From", "StatusCallback", "To"], received.Form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Hello from the tests"], received.Form["Body"]);
        Assert.Equal([Sender], received.Form["From"]);
        Assert.Equal([Recipient], received.Form["To"]);
        Assert.Equal([callback.AbsoluteUri], received.Form["StatusCallback"]);
    }

    [Fact]
    public async Task TheConfiguredStatusCallbackAndDefaultSenderAreUsedWhenNoneIsPassed()
    {
        var client = CreateClient(o =>
        {
            o.DefaultFrom = Sender;
            o.StatusCallbackUrl = new Uri("https://hooks.example.com/default");
        });

        Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, "hi"));

        var received = Assert.Single(await Admin.GetMessagesAsync());
        Assert.Equal([Sender], received.Form["From"]);
        Assert.Equal(["https://hooks.example.com/default"], received.Form["StatusCallback"]);
    }

    [Fact]
    public async Task SendingThroughAMessagingServiceIsAcceptedWithoutSegmentsUntilASenderIsAssigned()
    {
        const string service = "MG0123456789abcdef0123456789abcdef";
        var client = CreateClient(o => o.MessagingServiceSid = service);

        var accepted = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, "hi"));

        Assert.Equal("accepted", accepted.Status);
        Assert.Equal(0, accepted.Segments);
        Assert.Equal(service, accepted.Message.MessagingServiceSid);
        Assert.Null(accepted.Message.From);
        var received = Assert.Single(await Admin.GetMessagesAsync());
        Assert.Equal([service], received.Form["MessagingServiceSid"]);
        Assert.False(received.Form.ContainsKey("From"));
    }

    [Fact]
    public async Task SendingWithoutAnyConfiguredSenderIsAProgrammingError() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => CreateClient().SendAsync(Recipient, "hi"));

    [Fact]
    public async Task AnAPIKeyAuthenticatesInsteadOfTheAuthToken()
    {
        var client = CreateClient(o =>
        {
            o.ApiKeySid = Emulator.Options.ApiKeySid;
            o.ApiKeySecret = Emulator.Options.ApiKeySecret;
            o.AuthToken = "not-used-for-requests";
        });

        Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));
        Assert.Equal(EmulatorOptions.DefaultApiKeySid, Assert.Single(await Admin.GetMessagesAsync()).AuthUsername);
    }

    [Fact]
    public async Task AWrongAuthTokenIsRejectedPermanentlyWith20003()
    {
        var result = await CreateClient(o => o.AuthToken = "wrong").SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        var rejected = Assert.IsType<SendRejected>(result);
        Assert.Equal(401, rejected.HttpStatus);
        Assert.Equal(TwilioErrorCodes.AuthenticationFailed, rejected.Code);
        Assert.Equal(new Uri("https://www.twilio.com/docs/errors/20003"), rejected.MoreInfo);
        Assert.Empty(await Admin.GetMessagesAsync());
    }

    [Fact]
    public async Task ValidCredentialsOfAnotherAccountAreRejectedWith20003()
    {
        var result = await CreateClient(o => o.AccountSid = "AC0123456789abcdef0123456789abcdef").SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        Assert.Equal(TwilioErrorCodes.AuthenticationFailed, Assert.IsType<SendRejected>(result).Code);
    }

    public static TheoryData<string, string, int> MagicNumbers => new()
    {
        { "+15005550001", Recipient, TwilioErrorCodes.InvalidFrom },
        { "+15005550007", Recipient, TwilioErrorCodes.FromNotOwned },
        { "+15005550008", Recipient, TwilioErrorCodes.SenderQueueFull },
        { Sender, "+15005550001", TwilioErrorCodes.InvalidTo },
        { Sender, "+15005550002", TwilioErrorCodes.Unroutable },
        { Sender, "+15005550003", TwilioErrorCodes.RegionNotPermitted },
        { Sender, "+15005550004", TwilioErrorCodes.RecipientOptedOut },
        { Sender, "+15005550009", TwilioErrorCodes.NotSmsCapable },
    };

    [Theory]
    [MemberData(nameof(MagicNumbers))]
    public async Task TwilioTestNumbersAreRejectedWithTheirDocumentedCodeAndCreateNothing(string from, string to, int code)
    {
        var result = await CreateClient().SendAsync(to, TwilioSender.FromNumber(from), "hi");

        var rejected = Assert.IsType<SendRejected>(result);
        Assert.Equal(400, rejected.HttpStatus);
        Assert.Equal(code, rejected.Code);
        Assert.False(string.IsNullOrEmpty(rejected.Message));
        Assert.Empty(await Admin.GetMessagesAsync());
        Assert.Equal(1, (await Admin.GetCountersAsync()).Rejected);
    }

    [Fact]
    public async Task TheValidTestSenderCanSendToAnyOtherNumber() =>
        Assert.IsType<SendAccepted>(await CreateClient().SendAsync("+15005550006", TwilioSender.FromNumber("+15005550010"), "hi"));

    public static TheoryData<string, int> SegmentedBodies => new()
    {
        { new string('a', 160), 1 },
        { new string('a', 161), 2 },
        { "Price: 5€ ^_^ {ok}", 1 },
        { new string('€', 81), 2 },
        { "Café crème 😀", 1 },
        { new string('é', 160), 1 },
        { new string('ж', 70), 1 },
        { new string('ж', 71), 2 },
    };

    [Theory]
    [MemberData(nameof(SegmentedBodies))]
    public async Task TheEmulatorReportsNumSegmentsAsTwilioCountsThem(string body, int segments)
    {
        var accepted = Assert.IsType<SendAccepted>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), body));
        Assert.Equal(segments, accepted.Segments);
        Assert.Equal(body, accepted.Message.Body);
    }
}
