using System.Net;
using System.Net.Sockets;
using SmsRemarketing.Twilio.Tests.Infrastructure;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioMessagesClientFailureTests : EmulatorTest
{
    [Fact]
    public async Task A429IsTransientAndCarriesTwilioCode20429AndTheRetryAfterDelay()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.RateLimited, retryAfterSeconds: 3);
        var client = CreateClient();

        var result = await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        var transient = Assert.IsType<SendTransient>(result);
        Assert.Equal(429, transient.HttpStatus);
        Assert.Equal(TwilioErrorCodes.TooManyRequests, transient.Code);
        Assert.Equal(TimeSpan.FromSeconds(3), transient.RetryAfter);
        Assert.Empty(await Admin.GetMessagesAsync());
        Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));
    }

    [Fact]
    public async Task TheRateLimitKnobAnswers429OnceTheBudgetIsSpent()
    {
        await Admin.SetFaultsAsync(new FaultSettings { MaxCreatesPerSecond = 0.001, RateLimitRetryAfterSeconds = 2 });
        var client = CreateClient();

        Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "first"));
        var limited = Assert.IsType<SendTransient>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "second"));

        Assert.Equal(TwilioErrorCodes.TooManyRequests, limited.Code);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.RetryAfter);
        var counters = await Admin.GetCountersAsync();
        Assert.Equal((2, 1, 1), (counters.CreateRequests, counters.Created, counters.RateLimited));
    }

    [Fact]
    public async Task A500IsTransientAndCreatesNothing()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.ServerError);

        var result = await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        var transient = Assert.IsType<SendTransient>(result);
        Assert.Equal(500, transient.HttpStatus);
        Assert.Equal(TwilioErrorCodes.InternalServerError, transient.Code);
        Assert.Null(transient.RetryAfter);
        Assert.Empty(await Admin.GetMessagesAsync());
    }

    [Fact]
    public async Task A500AfterTheCreateTookEffectIsTransientButMayExistAndTheMessageIsListed()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.ServerErrorAfterCreate);
        var client = CreateClient();

        var transient = Assert.IsType<SendTransient>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));

        Assert.Equal(500, transient.HttpStatus);
        Assert.True(transient.MayExist);
        var stored = Assert.Single(await Admin.GetMessagesAsync());
        Assert.Equal(stored.Sid, Assert.Single((await client.ListAsync(Recipient, Sender)).Messages).Sid);
        Assert.Equal((1, 1), ((await Admin.GetCountersAsync()).Created, (await Admin.GetCountersAsync()).ServerErrorsAfterCreate));
    }

    [Fact]
    public async Task A429OrNoConnectionCannotHaveCreatedAnything()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.RateLimited);

        var limited = Assert.IsType<SendTransient>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));

        Assert.False(limited.MayExist);
        Assert.False(new SendTransient(null, null, "No connection to Twilio", null).MayExist);
    }

    [Fact]
    public async Task WithLinkShorteningOnTheStoredBodyDiffersFromThePostedOne()
    {
        await Admin.SetFaultsAsync(new FaultSettings { ShortenLinks = true });
        var client = CreateClient();

        var accepted = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "Book at https://example.com/book?id=1 today"));

        var listed = Assert.Single((await client.ListAsync(Recipient)).Messages);
        Assert.Equal(accepted.Sid, listed.Sid);
        Assert.Matches("^Book at https://twil\\.io/[0-9a-f]{8} today$", listed.Body);
    }

    [Fact]
    public async Task ALostResponseIsAmbiguousWhileTheMessageExistsAndListingByRecipientFindsIt()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.LostResponse);
        var client = CreateClient();

        var result = await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "lost in transit");

        var ambiguous = Assert.IsType<SendAmbiguous>(result);
        Assert.Null(ambiguous.HttpStatus);
        var stored = Assert.Single(await Admin.GetMessagesAsync(Recipient));
        var counters = await Admin.GetCountersAsync();
        Assert.Equal((1, 1, 1), (counters.CreateRequests, counters.Created, counters.LostResponses));

        var page = await client.ListAsync(Recipient);
        var found = Assert.Single(page.Messages);
        Assert.Equal(stored.Sid, found.Sid);
        Assert.Equal("lost in transit", found.Body);
    }

    [Fact]
    public async Task AnUnreadable2xxBodyIsAmbiguousBecauseTheMessageWasCreated()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.MalformedResponse);

        var result = await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        Assert.Equal(201, Assert.IsType<SendAmbiguous>(result).HttpStatus);
        Assert.Single(await Admin.GetMessagesAsync());
    }

    [Fact]
    public async Task NoAnswerWithinTheRequestTimeoutIsAmbiguous()
    {
        await Admin.SetFaultsAsync(new FaultSettings { LatencyMs = 30_000 });

        var result = await CreateClient(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)).SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        Assert.Contains("timeout", Assert.IsType<SendAmbiguous>(result).Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CancellingWhileTheRequestIsInFlightIsAmbiguousNotAnException()
    {
        await Admin.SetFaultsAsync(new FaultSettings { LatencyMs = 30_000 });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var result = await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", cancellationToken: cancellation.Token);

        Assert.Contains("caller", Assert.IsType<SendAmbiguous>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancellingBeforeSendingThrowsBecauseNothingWasSent()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", cancellationToken: cancellation.Token));
        Assert.Equal(0, (await Admin.GetCountersAsync()).CreateRequests);
    }

    [Fact]
    public async Task ARefusedConnectionIsTransientBecauseTheRequestNeverLeft()
    {
        var closedPort = FreePort();

        var result = await CreateClient(o => o.BaseUrl = new Uri($"http://127.0.0.1:{closedPort}")).SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        var transient = Assert.IsType<SendTransient>(result);
        Assert.Null(transient.HttpStatus);
        Assert.Null(transient.Code);
    }

    [Fact]
    public async Task FullFaultRatesMakeEverySendTransientOrAmbiguous()
    {
        var client = CreateClient();
        await Admin.SetFaultsAsync(new FaultSettings { ServerErrorRate = 1 });
        Assert.IsType<SendTransient>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "a"));

        await Admin.SetFaultsAsync(new FaultSettings { LostResponseRate = 1 });
        Assert.IsType<SendAmbiguous>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "b"));
        Assert.Single(await Admin.GetMessagesAsync());
    }

    [Fact]
    public async Task ARateLimitedFractionAnswers429WithRetryAfterAndStoresNothing()
    {
        var client = CreateClient();
        await Admin.SetFaultsAsync(new FaultSettings { RateLimitedRate = 1, RateLimitRetryAfterSeconds = 2 });

        var transient = Assert.IsType<SendTransient>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "a"));

        Assert.Equal((429, TimeSpan.FromSeconds(2)), (transient.HttpStatus, transient.RetryAfter));
        Assert.Empty(await Admin.GetMessagesAsync());
        Assert.Equal(1, (await Admin.GetCountersAsync()).RateLimited);
    }

    [Fact]
    public async Task TheSameSeedGivesTheSameSequenceOfRandomFaults()
    {
        var settings = new FaultSettings { ServerErrorRate = 0.3, LostResponseRate = 0.3, Seed = 1234 };
        var client = CreateClient();

        async Task<string> RunAsync()
        {
            await Admin.SetFaultsAsync(settings);
            var outcomes = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                outcomes.Add((await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "x")).GetType().Name);
            }

            return string.Join(",", outcomes);
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(nameof(SendAccepted), first, StringComparison.Ordinal);
        Assert.Contains(nameof(SendTransient), first, StringComparison.Ordinal);
        Assert.Contains(nameof(SendAmbiguous), first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MatchForcesEveryOutcomeToBeHandled()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.ServerError);

        var result = await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        Assert.Equal("retry later", result.Match(_ => "done", _ => "give up", _ => "retry later", _ => "reconcile"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
