using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Twilio.Tests.Infrastructure;
using SmsRemarketing.TwilioEmulator.Faults;

namespace SmsRemarketing.Twilio.Tests;

public sealed class AddTwilioClientTests : EmulatorTest
{
    [Fact]
    public async Task TheRegisteredClientSendsThroughTheConfiguredAccount()
    {
        await using var provider = Provider(services => services.AddTwilioClient(Configuration()));

        var result = await provider.GetRequiredService<TwilioMessagesClient>().SendAsync(Recipient, "hi");

        Assert.IsType<SendAccepted>(result);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AHostWideResilienceHandlerNeverRetriesATwilioSend(bool defaultsRegisteredFirst)
    {
        await using var provider = Provider(services =>
        {
            if (defaultsRegisteredFirst)
            {
                AddRetryingDefaults(services);
            }

            services.AddTwilioClient(Configuration());
            if (!defaultsRegisteredFirst)
            {
                AddRetryingDefaults(services);
            }
        });

        // Control: the same defaults do retry an ordinary client's POST...
        await Admin.EnqueueFaultAsync(OneShotFaultKind.ServerError, count: 4);
        using var ordinary = provider.GetRequiredService<IHttpClientFactory>().CreateClient("ordinary");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Emulator.BaseAddress, MessagesPath()))
        {
            Content = Form(("To", Recipient), ("From", Sender), ("Body", "x")),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Emulator.Options.AccountSid}:{Emulator.Options.AuthToken}")));
        using var response = await ordinary.SendAsync(request);
        Assert.Equal(4, (await Admin.GetCountersAsync()).CreateRequests);
        await Admin.ResetAsync();

        // ...but not the Twilio client's.
        await Admin.EnqueueFaultAsync(OneShotFaultKind.ServerError, count: 4);
        var result = await provider.GetRequiredService<TwilioMessagesClient>().SendAsync(Recipient, "hi");

        Assert.IsType<SendTransient>(result);
        Assert.Equal(1, (await Admin.GetCountersAsync()).CreateRequests);
    }

    private static void AddRetryingDefaults(IServiceCollection services) =>
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(o => o.Retry.Delay = TimeSpan.Zero));

    private IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Twilio:AccountSid"] = Emulator.Options.AccountSid,
        ["Twilio:AuthToken"] = Emulator.Options.AuthToken,
        ["Twilio:BaseUrl"] = Emulator.BaseAddress.AbsoluteUri,
        ["Twilio:DefaultFrom"] = Sender,
    }).Build();

    private static ServiceProvider Provider(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider(validateScopes: true);
    }
}
