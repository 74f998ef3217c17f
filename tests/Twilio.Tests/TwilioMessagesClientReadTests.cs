using SmsRemarketing.Testing;
using SmsRemarketing.Twilio.Tests.Infrastructure;

namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioMessagesClientReadTests : EmulatorTest
{
    [Fact]
    public async Task FetchingASentMessageShowsItsStatusAdvanceToDelivered()
    {
        var client = CreateClient();
        var accepted = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));

        var delivered = await Eventually.WaitAsync(() => client.FetchAsync(accepted.Sid), m => m?.Status == "delivered", "delivered");

        Assert.Equal(accepted.Sid, delivered!.Sid);
        Assert.NotNull(delivered.DateSent);
        Assert.True(delivered.Price < 0);
        Assert.Equal("USD", delivered.PriceUnit);
        Assert.Null(delivered.ErrorCode);
        Assert.Equal(new Uri($"/2010-04-01/Accounts/{Emulator.Options.AccountSid}/Messages/{accepted.Sid}.json", UriKind.Relative), delivered.ResourceUri);
    }

    [Fact]
    public async Task FetchingAnUnknownMessageReturnsNull() =>
        Assert.Null(await CreateClient().FetchAsync("SM0123456789abcdef0123456789abcdef"));

    [Fact]
    public async Task FetchingWithBadCredentialsThrowsWithTwilioError()
    {
        var error = await Assert.ThrowsAsync<TwilioApiException>(() => CreateClient(o => o.AuthToken = "wrong").FetchAsync("SM0123456789abcdef0123456789abcdef"));
        Assert.Equal(401, error.HttpStatus);
        Assert.Equal(TwilioErrorCodes.AuthenticationFailed, error.Error?.Code);
    }

    [Fact]
    public async Task ListingPagesThroughEveryMessageToARecipientNewestFirst()
    {
        var client = CreateClient();
        var sent = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add(Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), $"message {i}")).Sid);
        }

        await client.SendAsync("+14155550199", TwilioSender.FromNumber(Sender), "someone else");

        var pages = new List<TwilioMessagePage> { await client.ListAsync(Recipient, pageSize: 2) };
        while (await client.ListNextAsync(pages[^1]) is { } next)
        {
            pages.Add(next);
        }

        Assert.Equal([2, 2, 1], pages.Select(p => p.Messages.Count));
        Assert.Equal([0, 1, 2], pages.Select(p => p.Page));
        Assert.All(pages, p => Assert.Equal(2, p.PageSize));
        Assert.Null(pages[0].PreviousPageUri);
        Assert.Equal(Enumerable.Reverse(sent), pages.SelectMany(p => p.Messages).Select(m => m.Sid));
    }

    [Fact]
    public async Task ListingFiltersBySender()
    {
        var client = CreateClient();
        await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "from the test number");
        var other = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber("+15005550010"), "from another number"));

        var page = await client.ListAsync(Recipient, from: "+15005550010");

        Assert.Equal(other.Sid, Assert.Single(page.Messages).Sid);
    }

    [Fact]
    public async Task ListingByDateSentIncludesThatDayAndExcludesLaterDays()
    {
        var client = CreateClient();
        var accepted = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));
        var sent = await Eventually.WaitAsync(() => client.FetchAsync(accepted.Sid), m => m?.DateSent is not null, "date_sent");
        var day = DateOnly.FromDateTime(sent!.DateSent!.Value.UtcDateTime);

        Assert.Single((await client.ListAsync(Recipient, dateSentAfter: day)).Messages);
        Assert.Empty((await client.ListAsync(Recipient, dateSentAfter: day.AddDays(1))).Messages);
    }

    [Fact]
    public async Task ListingARecipientWithNoMessagesGivesAnEmptyLastPage()
    {
        var client = CreateClient();

        var page = await client.ListAsync("+14155550123");

        Assert.Empty(page.Messages);
        Assert.Null(page.NextPageUri);
        Assert.Null(await client.ListNextAsync(page));
    }
}
