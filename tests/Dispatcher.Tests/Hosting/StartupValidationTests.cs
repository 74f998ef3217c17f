using Microsoft.AspNetCore.Mvc.Testing;

namespace SmsRemarketing.Dispatcher.Tests.Hosting;

public sealed class StartupValidationTests
{
    [Fact]
    public async Task ADispatcherWithNoSenderConfiguredDoesNotStart()
    {
        await using var factory = new WebApplicationFactory<DispatcherOptions>().WithWebHostBuilder(host =>
        {
            // Never reached: the options are validated before anything connects.
            host.UseSetting("ConnectionStrings:Database", "Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none");
            host.UseSetting("RabbitMq:Url", "amqp://guest:guest@127.0.0.1:1/");
            host.UseSetting("Twilio:AccountSid", "AC" + new string('0', 32));
            host.UseSetting("Twilio:AuthToken", "token");
            host.UseSetting("Twilio:DefaultFrom", "");
            host.UseSetting("Twilio:MessagingServiceSid", "");
        });

        var failure = Record.Exception(() => factory.Server);

        Assert.NotNull(failure);
        Assert.Contains("Twilio:DefaultFrom or Twilio:MessagingServiceSid", Messages(failure), StringComparison.Ordinal);
    }

    private static string Messages(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(Messages))
            : exception.Message + (exception.InnerException is { } inner ? " | " + Messages(inner) : "");
}
