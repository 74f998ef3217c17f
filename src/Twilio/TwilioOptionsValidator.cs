using Microsoft.Extensions.Options;

namespace SmsRemarketing.Twilio;

/// <summary>Fails start-up on settings that would otherwise only fail at the first send.</summary>
internal sealed class TwilioOptionsValidator : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        var failures = new List<string>();
        if (!TwilioSid.IsAccountSid(options.AccountSid))
        {
            failures.Add("Twilio:AccountSid must match ^AC[0-9a-fA-F]{32}$.");
        }

        if (string.IsNullOrWhiteSpace(options.AuthToken))
        {
            failures.Add("Twilio:AuthToken is required (it signs status callbacks even when an API key authenticates requests).");
        }

        if (string.IsNullOrEmpty(options.ApiKeySid) != string.IsNullOrEmpty(options.ApiKeySecret))
        {
            failures.Add("Twilio:ApiKeySid and Twilio:ApiKeySecret must be given together.");
        }
        else if (!string.IsNullOrEmpty(options.ApiKeySid) && !TwilioSid.IsApiKeySid(options.ApiKeySid))
        {
            failures.Add("Twilio:ApiKeySid must match ^SK[0-9a-fA-F]{32}$.");
        }

        if (!IsHttpUrl(options.BaseUrl))
        {
            failures.Add("Twilio:BaseUrl must be an absolute http(s) URL.");
        }

        if (options.StatusCallbackUrl is not null && !IsHttpUrl(options.StatusCallbackUrl))
        {
            failures.Add("Twilio:StatusCallbackUrl must be an absolute http(s) URL.");
        }

        if (options.MessagingServiceSid is { Length: > 0 } service && !TwilioSid.IsMessagingServiceSid(service))
        {
            failures.Add("Twilio:MessagingServiceSid must match ^MG[0-9a-fA-F]{32}$.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Twilio:RequestTimeout must be greater than zero and at most 5 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
