using System.Net;
using SmsRemarketing.Twilio.Tests.Infrastructure;
using SmsRemarketing.TwilioEmulator;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Twilio.Tests.TwilioEmulator;

public sealed class InspectionTests : EmulatorTest
{
    protected override IEnumerable<KeyValuePair<string, string?>> EmulatorSettings =>
        [.. base.EmulatorSettings, new("Emulator:MaxStoredMessages", "8")];

    [Fact]
    public async Task TheHealthEndpointAnswers200() =>
        Assert.Equal(HttpStatusCode.OK, (await CreateRawClient().GetAsync("health")).StatusCode);

    [Fact]
    public async Task MessagesCanBeFilteredByRecipient()
    {
        var client = CreateClient();
        await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "one");
        await client.SendAsync("+14155550199", TwilioSender.FromNumber(Sender), "two");

        var messages = await Admin.GetMessagesAsync("+14155550199");

        Assert.Equal(["two"], messages.Select(m => m.Form["Body"][0]));
    }

    [Fact]
    public async Task CountersAccountForEveryCreateOutcome()
    {
        var client = CreateClient();
        await Admin.EnqueueFaultAsync(OneShotFaultKind.RateLimited);
        await Admin.EnqueueFaultAsync(OneShotFaultKind.ServerError);
        await Admin.EnqueueFaultAsync(OneShotFaultKind.LostResponse);
        for (var i = 0; i < 4; i++)
        {
            await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");
        }

        await client.SendAsync("+15005550004", TwilioSender.FromNumber(Sender), "opted out");
        await CreateClient(o => o.AuthToken = "wrong").SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");

        var counters = await Admin.GetCountersAsync();
        Assert.Equal(
            (CreateRequests: 5, Created: 2, Rejected: 1, RateLimited: 1, ServerErrors: 1, LostResponses: 1, Unauthorized: 1),
            (counters.CreateRequests, counters.Created, counters.Rejected, counters.RateLimited, counters.ServerErrors, counters.LostResponses, counters.Unauthorized));
    }

    [Fact]
    public async Task ResettingClearsMessagesCallbacksCountersAndFaults()
    {
        var client = CreateClient();
        await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi");
        await Admin.SetFaultsAsync(new FaultSettings { LatencyMs = 5 });
        await Admin.EnqueueFaultAsync(OneShotFaultKind.ServerError, count: 2);

        await Admin.ResetAsync();

        Assert.Empty(await Admin.GetMessagesAsync());
        Assert.Equal(0, (await Admin.GetCountersAsync()).CreateRequests);
        Assert.Equal(0, (await Admin.GetFaultsAsync()).LatencyMs);
        Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));
    }

    [Fact]
    public async Task InvalidFaultSettingsAreRefused()
    {
        using var response = await CreateRawClient().PutAsync("_emulator/faults", new StringContent("""{"serverErrorRate": 2}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, (await Admin.GetFaultsAsync()).ServerErrorRate);
    }

    [Fact]
    public async Task FaultSettingsRoundTripThroughTheAdminEndpoint()
    {
        var settings = new FaultSettings { LatencyMs = 3, MaxCreatesPerSecond = 500, ServerErrorRate = 0.1, LostResponseRate = 0.2, Seed = 7, CallbackStepDelayMs = 9, UndeliveredTo = ["+1"], UndeliveredErrorCode = 30006 };

        await Admin.SetFaultsAsync(settings);
        var read = await Admin.GetFaultsAsync();

        Assert.Equivalent(settings, read);
    }

    [Fact]
    public async Task TheStoreStaysBoundedByDroppingTheOldestMessages()
    {
        var client = CreateClient();
        var sids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            sids.Add(Assert.IsType<SendAccepted>(await client.SendAsync(Recipient, TwilioSender.FromNumber(Sender), $"m{i}")).Sid);
        }

        var kept = (await Admin.GetMessagesAsync()).Select(m => m.Sid).ToList();

        Assert.InRange(kept.Count, 8, 9);
        Assert.Equal(sids.TakeLast(kept.Count), kept);
        Assert.Null(await client.FetchAsync(sids[0]));
    }

    [Fact]
    public async Task TheAccountAndTokenComeFromConfiguration()
    {
        await using var custom = await TwilioEmulatorHost.StartAsync([
            new("Emulator:AccountSid", "AC0123456789abcdef0123456789abcdef"),
            new("Emulator:AuthToken", "custom-token"),
        ]);
        using var http = new HttpClient();
        TwilioMessagesClient Client(string token) => new(http, Microsoft.Extensions.Options.Options.Create(new TwilioOptions
        {
            AccountSid = "AC0123456789abcdef0123456789abcdef",
            AuthToken = token,
            BaseUrl = custom.BaseAddress,
        }));

        Assert.IsType<SendAccepted>(await Client("custom-token").SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));
        Assert.IsType<SendRejected>(await Client(EmulatorOptions.DefaultAuthToken).SendAsync(Recipient, TwilioSender.FromNumber(Sender), "hi"));
    }

    [Fact]
    public async Task AnInvalidAccountSidInConfigurationStopsTheEmulatorFromStarting() =>
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            TwilioEmulatorHost.StartAsync([new("Emulator:AccountSid", "AC123")]));
}
