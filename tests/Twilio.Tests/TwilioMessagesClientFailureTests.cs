using System.Net;
using System.Net.Sockets;
using SmsRemarketing.Twilio.Tests.Infrastructure;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioMessagesClientFailureTests : EmulatorTest
{
    [Fact]
    public async Task A_429_is_transient_and_carries_Twilio_code_20429_and_the_Retry_After_delay()
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
    public async Task The_rate_limit_knob_answers_429_once_the_budget_is_spent()
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
    public async Task A_500_is_transient_and_creates_nothing()
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
    public async Task A_500_after_the_create_took_effect_is_transient_but_may_exist_and_the_message_is_listed()
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
    public async Task A_429_or_no_connection_cannot_have_created_anything()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.RateLimited);

        var limited = Assert.IsType<SendTransient>(await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));

        Assert.False(limited.MayExist);
        Assert.False(new SendTransient(null, null, "No connection to Twilio", null).MayExist);
    }

    [Fact]
    public async Task With_link_shortening_on_the_stored_body_differs_from_the_posted_one()
    {
        await Admin.SetFaultsAsync(new FaultSettings { ShortenLinks = true });
        var client = CreateClient();

        var accepted = Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "Book at https://example.com/book?id=1 today"));

        var listed = Assert.Single((await client.ListAsync(Recipient)).Messages);
        Assert.Equal(accepted.Sid, listed.Sid);
        Assert.Matches("^Book at https://twil\\.io/[0-9a-f]{8} today$", listed.Body);
    }

    [Fact]
    public async Task A_lost_response_is_ambiguous_while_the_message_exists_and_listing_by_recipient_finds_it()
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
    public async Task An_unreadable_2xx_body_is_ambiguous_because_the_message_was_created()
    {
        await Admin.EnqueueFaultAsync(OneShotFaultKind.MalformedResponse);

        var result = await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        Assert.Equal(201, Assert.IsType<SendAmbiguous>(result).HttpStatus);
        Assert.Single(await Admin.GetMessagesAsync());
    }

    [Fact]
    public async Task No_answer_within_the_request_timeout_is_ambiguous()
    {
        await Admin.SetFaultsAsync(new FaultSettings { LatencyMs = 30_000 });

        var result = await CreateClient(o => o.RequestTimeout = TimeSpan.FromMilliseconds(300)).SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        Assert.Contains("timeout", Assert.IsType<SendAmbiguous>(result).Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cancelling_while_the_request_is_in_flight_is_ambiguous_not_an_exception()
    {
        await Admin.SetFaultsAsync(new FaultSettings { LatencyMs = 30_000 });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var result = await CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", cancellationToken: cancellation.Token);

        Assert.Contains("caller", Assert.IsType<SendAmbiguous>(result).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_before_sending_throws_because_nothing_was_sent()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CreateClient().SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi", cancellationToken: cancellation.Token));
        Assert.Equal(0, (await Admin.GetCountersAsync()).CreateRequests);
    }

    [Fact]
    public async Task A_refused_connection_is_transient_because_the_request_never_left()
    {
        var closedPort = FreePort();

        var result = await CreateClient(o => o.BaseUrl = new Uri($"http://127.0.0.1:{closedPort}")).SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        var transient = Assert.IsType<SendTransient>(result);
        Assert.Null(transient.HttpStatus);
        Assert.Null(transient.Code);
    }

    [Fact]
    public async Task Full_fault_rates_make_every_send_transient_or_ambiguous()
    {
        var client = CreateClient();
        await Admin.SetFaultsAsync(new FaultSettings { ServerErrorRate = 1 });
        Assert.IsType<SendTransient>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "a"));

        await Admin.SetFaultsAsync(new FaultSettings { LostResponseRate = 1 });
        Assert.IsType<SendAmbiguous>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "b"));
        Assert.Single(await Admin.GetMessagesAsync());
    }

    [Fact]
    public async Task A_rate_limited_fraction_answers_429_with_retry_after_and_stores_nothing()
    {
        var client = CreateClient();
        await Admin.SetFaultsAsync(new FaultSettings { RateLimitedRate = 1, RateLimitRetryAfterSeconds = 2 });

        var transient = Assert.IsType<SendTransient>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "a"));

        Assert.Equal((429, TimeSpan.FromSeconds(2)), (transient.HttpStatus, transient.RetryAfter));
        Assert.Empty(await Admin.GetMessagesAsync());
        Assert.Equal(1, (await Admin.GetCountersAsync()).RateLimited);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sequence_of_random_faults()
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
    public async Task Match_forces_every_outcome_to_be_handled()
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
