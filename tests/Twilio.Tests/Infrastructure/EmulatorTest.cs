using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using SmsRemarketing.TwilioEmulator;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.Twilio.Tests.Infrastructure;

/// <summary>Each test gets its own emulator on a free loopback port, so faults and messages never leak between tests.</summary>
public abstract class EmulatorTest : IAsyncLifetime
{
    protected const string Sender = "+15005550006";
    protected const string Recipient = "+14155550100";

    private readonly List<IDisposable> _disposables = [];

    protected TwilioEmulatorHost Emulator { get; private set; } = null!;

    protected EmulatorAdminClient Admin { get; private set; } = null!;

    /// <summary>Short status steps keep the callback tests quick.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> EmulatorSettings => [new("Emulator:CallbackStepDelayMs", "5")];

    public async Task InitializeAsync()
    {
        Emulator = await TwilioEmulatorHost.StartAsync(EmulatorSettings);
        Admin = Emulator.CreateAdminClient();
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        await Emulator.DisposeAsync();
    }

    protected TwilioOptions ClientOptions(Action<TwilioOptions>? configure = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = Emulator.Options.AccountSid,
            AuthToken = Emulator.Options.AuthToken,
            BaseUrl = Emulator.BaseAddress,
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    protected TwilioMessagesClient CreateClient(Action<TwilioOptions>? configure = null)
    {
        var http = new HttpClient();
        _disposables.Add(http);
        return new TwilioMessagesClient(http, Options.Create(ClientOptions(configure)));
    }

    /// <summary>Plain HTTP to the emulator, for requests the typed client would never send.</summary>
    protected HttpClient CreateRawClient(string? username = null, string? password = null)
    {
        var http = new HttpClient { BaseAddress = Emulator.BaseAddress };
        _disposables.Add(http);
        if (username is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        return http;
    }

    protected HttpClient CreateAuthenticatedRawClient() => CreateRawClient(Emulator.Options.AccountSid, Emulator.Options.AuthToken);

    protected string MessagesPath(string? accountSid = null) => $"2010-04-01/Accounts/{accountSid ?? Emulator.Options.AccountSid}/Messages.json";

    protected static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}
