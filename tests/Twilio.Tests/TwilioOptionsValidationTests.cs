using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioOptionsValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Twilio:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
        ["Twilio:AuthToken"] = "token",
    };

    [Fact]
    public void AMinimalConfigurationBindsWithTwilioDefaults()
    {
        var options = Resolve(Valid);
        Assert.Equal(new Uri("https://api.twilio.com"), options.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
    }

    [Fact]
    public void EverySettingBindsFromTheTwilioSection()
    {
        var options = Resolve(new(Valid)
        {
            ["Twilio:ApiKeySid"] = "SK0123456789abcdef0123456789abcdef",
            ["Twilio:ApiKeySecret"] = "secret",
            ["Twilio:BaseUrl"] = "http://127.0.0.1:5090",
            ["Twilio:StatusCallbackUrl"] = "https://hooks.example.com/twilio/status",
            ["Twilio:DefaultFrom"] = "+15005550006",
            ["Twilio:MessagingServiceSid"] = "MG0123456789abcdef0123456789abcdef",
            ["Twilio:RequestTimeout"] = "00:00:05",
        });
        Assert.Equal("SK0123456789abcdef0123456789abcdef", options.ApiKeySid);
        Assert.Equal(new Uri("http://127.0.0.1:5090"), options.BaseUrl);
        Assert.Equal(new Uri("https://hooks.example.com/twilio/status"), options.StatusCallbackUrl);
        Assert.Equal("MG0123456789abcdef0123456789abcdef", options.MessagingServiceSid);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
    }

    [Theory]
    [InlineData("Twilio:AccountSid", "AC123", "AccountSid")]
    [InlineData("Twilio:AuthToken", "", "AuthToken")]
    [InlineData("Twilio:ApiKeySid", "SK0123456789abcdef0123456789abcdef", "ApiKeySecret")]
    [InlineData("Twilio:ApiKeySecret", "secret", "ApiKeySecret")]
    [InlineData("Twilio:BaseUrl", "ftp://api.twilio.com", "BaseUrl")]
    [InlineData("Twilio:MessagingServiceSid", "MG1", "MessagingServiceSid")]
    [InlineData("Twilio:RequestTimeout", "00:00:00", "RequestTimeout")]
    public void AnInvalidSettingFailsValidationNamingIt(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new(Valid) { [key] = value }));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static TwilioOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddTwilioClient(configuration).Services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TwilioOptions>>().Value;
    }
}
