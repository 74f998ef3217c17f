using Microsoft.Extensions.Configuration;

namespace SmsRemarketing.ServiceDefaults;

/// <summary>
/// The short environment variables of <c>.run/stack.env</c> and of most hosting platforms, mapped onto the
/// configuration keys the services read. The long forms (<c>ConnectionStrings__Database</c>) still win.
/// </summary>
public static class WellKnownEnvironmentVariables
{
    private static readonly (string Variable, string Key)[] Plain =
    [
        ("RABBITMQ_URL", "RabbitMq:Url"),
        ("ADMIN_KEY", "Api:AdminKey"),
        ("TWILIO_ACCOUNT_SID", "Twilio:AccountSid"),
        ("TWILIO_AUTH_TOKEN", "Twilio:AuthToken"),
        ("TWILIO_API_KEY_SID", "Twilio:ApiKeySid"),
        ("TWILIO_API_KEY_SECRET", "Twilio:ApiKeySecret"),
        ("TWILIO_BASE_URL", "Twilio:BaseUrl"),
        ("TWILIO_FROM_NUMBER", "Twilio:DefaultFrom"),
        ("TWILIO_MESSAGING_SERVICE_SID", "Twilio:MessagingServiceSid"),
        ("TWILIO_STATUS_CALLBACK_URL", "Twilio:StatusCallbackUrl"),
    ];

    public static IConfigurationBuilder AddWellKnownEnvironmentVariables(this IConfigurationManager configuration)
    {
        var values = new Dictionary<string, string?>();
        foreach (var (variable, key) in Plain)
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && string.IsNullOrEmpty(configuration[key]))
            {
                values[key] = value;
            }
        }

        if (Environment.GetEnvironmentVariable("DATABASE_URL") is { Length: > 0 } url
            && string.IsNullOrEmpty(configuration.GetConnectionString("Database")))
        {
            values["ConnectionStrings:Database"] = PostgresUrl.ToConnectionString(url);
        }

        return configuration.AddInMemoryCollection(values);
    }
}
