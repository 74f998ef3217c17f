using System.Net;
using System.Text.Json;
using SmsRemarketing.Twilio.Tests.Infrastructure;

namespace SmsRemarketing.Twilio.Tests.TwilioEmulator;

public sealed class CreateMessageValidationTests : EmulatorTest
{
    private const string Service = "MG0123456789abcdef0123456789abcdef";

    public static TheoryData<string, (string, string)[], int> InvalidRequests => new()
    {
        { "no To", [("From", Sender), ("Body", "hi")], TwilioErrorCodes.ToRequired },
        { "an empty To", [("To", ""), ("From", Sender), ("Body", "hi")], TwilioErrorCodes.ToRequired },
        { "no From nor MessagingServiceSid", [("To", Recipient), ("Body", "hi")], TwilioErrorCodes.FromRequired },
        { "no Body, MediaUrl nor ContentSid", [("To", Recipient), ("From", Sender)], TwilioErrorCodes.BodyOrMediaRequired },
        { "a To that is not E.164", [("To", "555-0100"), ("From", Sender), ("Body", "hi")], TwilioErrorCodes.InvalidTo },
        { "To equal to From", [("To", Sender), ("From", Sender), ("Body", "hi")], TwilioErrorCodes.InvalidTo },
        { "a From that is no sender", [("To", Recipient), ("From", "not a sender!"), ("Body", "hi")], TwilioErrorCodes.InvalidFrom },
        { "a malformed MessagingServiceSid", [("To", Recipient), ("MessagingServiceSid", "MG123"), ("Body", "hi")], TwilioErrorCodes.InvalidMessagingServiceSid },
        { "a malformed ContentSid", [("To", Recipient), ("From", Sender), ("ContentSid", "HX1")], TwilioErrorCodes.InvalidContentSid },
        { "a Body of 1601 characters", [("To", Recipient), ("From", Sender), ("Body", new string('a', 1601))], TwilioErrorCodes.BodyTooLong },
        { "eleven MediaUrl values", [("To", Recipient), ("From", Sender), .. Enumerable.Range(0, 11).Select(i => ("MediaUrl", $"https://example.com/{i}.png"))], TwilioErrorCodes.TooManyMediaUrls },
        { "a relative MediaUrl", [("To", Recipient), ("From", Sender), ("MediaUrl", "/cat.png")], TwilioErrorCodes.InvalidMediaUrl },
        { "a StatusCallback that is not a URL", [("To", Recipient), ("From", Sender), ("Body", "hi"), ("StatusCallback", "not a url")], TwilioErrorCodes.InvalidStatusCallback },
        { "a StatusCallback host with an underscore", [("To", Recipient), ("From", Sender), ("Body", "hi"), ("StatusCallback", "https://my_host.example.com/cb")], TwilioErrorCodes.InvalidStatusCallback },
        { "a ValidityPeriod of 0", [("To", Recipient), ("From", Sender), ("Body", "hi"), ("ValidityPeriod", "0")], TwilioErrorCodes.InvalidValidityPeriod },
        { "a ValidityPeriod of 36001", [("To", Recipient), ("From", Sender), ("Body", "hi"), ("ValidityPeriod", "36001")], TwilioErrorCodes.InvalidValidityPeriod },
        { "a ValidityPeriod that is not a number", [("To", Recipient), ("From", Sender), ("Body", "hi"), ("ValidityPeriod", "soon")], TwilioErrorCodes.InvalidValidityPeriod },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task AnInvalidCreateGets400WithTwilioCodeAndCreatesNothing(string because, (string, string)[] fields, int code)
    {
        using var response = await CreateAuthenticatedRawClient().PostAsync(MessagesPath(), Form(fields));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        await AssertTwilioErrorAsync(response, code, 400);
        Assert.Empty(await Admin.GetMessagesAsync());
    }

    public static TheoryData<string, (string, string)[]> ValidEdgeRequests => new()
    {
        { "a Body of exactly 1600 characters", [("To", Recipient), ("From", Sender), ("Body", new string('a', 1600))] },
        { "media without a body", [("To", Recipient), ("From", Sender), ("MediaUrl", "https://example.com/cat.png")] },
        { "a content template without a body", [("To", Recipient), ("MessagingServiceSid", Service), ("ContentSid", "HX0123456789abcdef0123456789abcdef")] },
        { "a ValidityPeriod of 1", [("To", Recipient), ("From", Sender), ("Body", "hi"), ("ValidityPeriod", "1")] },
        { "a ValidityPeriod of 36000", [("To", Recipient), ("From", Sender), ("Body", "hi"), ("ValidityPeriod", "36000")] },
        { "an alphanumeric sender ID", [("To", Recipient), ("From", "Acme Shop"), ("Body", "hi")] },
        { "a short code sender", [("To", Recipient), ("From", "894546"), ("Body", "hi")] },
        { "WhatsApp addresses", [("To", "whatsapp:" + Recipient), ("From", "whatsapp:" + Sender), ("Body", "hi")] },
    };

    [Theory]
    [MemberData(nameof(ValidEdgeRequests))]
    public async Task AValidEdgeCaseCreateIsAccepted(string because, (string, string)[] fields)
    {
        using var response = await CreateAuthenticatedRawClient().PostAsync(MessagesPath(), Form(fields));

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{because}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task MediaMakesAnMMSidAndCountsInNumMedia()
    {
        using var response = await CreateAuthenticatedRawClient().PostAsync(MessagesPath(), Form(
            ("To", Recipient), ("From", Sender), ("MediaUrl", "https://example.com/1.png"), ("MediaUrl", "https://example.com/2.png")));

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("MM", json.RootElement.GetProperty("sid").GetString(), StringComparison.Ordinal);
        Assert.Equal("2", json.RootElement.GetProperty("num_media").GetString());
        Assert.Equal(2, Assert.Single(await Admin.GetMessagesAsync()).Form["MediaUrl"].Count);
    }

    [Fact]
    public async Task ARequestWithoutCredentialsGets401WithCode20003()
    {
        using var response = await CreateRawClient().PostAsync(MessagesPath(), Form(("To", Recipient), ("From", Sender), ("Body", "hi")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        await AssertTwilioErrorAsync(response, TwilioErrorCodes.AuthenticationFailed, 401);
    }

    [Fact]
    public async Task APathThatIsNotAnAccountSidIsNotFoundWithCode20404()
    {
        using var response = await CreateAuthenticatedRawClient().PostAsync(MessagesPath("ACnot-an-account"), Form(("To", Recipient), ("From", Sender), ("Body", "hi")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertTwilioErrorAsync(response, TwilioErrorCodes.NotFound, 404);
    }

    [Fact]
    public async Task FetchingAnUnknownSidIsNotFoundWithCode20404()
    {
        using var response = await CreateAuthenticatedRawClient().GetAsync($"2010-04-01/Accounts/{Emulator.Options.AccountSid}/Messages/SM0123456789abcdef0123456789abcdef.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await AssertTwilioErrorAsync(response, TwilioErrorCodes.NotFound, 404);
    }

    private static async Task AssertTwilioErrorAsync(HttpResponseMessage response, int code, int status)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(code, root.GetProperty("code").GetInt32());
        Assert.Equal(status, root.GetProperty("status").GetInt32());
        Assert.Equal($"https://www.twilio.com/docs/errors/{code}", root.GetProperty("more_info").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("message").GetString()));
    }
}
