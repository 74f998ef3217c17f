using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SmsRemarketing.Twilio;
using SmsRemarketing.TwilioEmulator.Errors;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.TwilioEmulator.Accounts;

/// <summary>
/// HTTP Basic as Twilio does it: AccountSid + AuthToken, or API key SID + secret. The path's account must be the
/// authenticated one. Failures answer 401 with code 20003.
/// </summary>
internal sealed class TwilioAuthFilter(IOptions<EmulatorOptions> options, EmulatorCounters counters) : IEndpointFilter
{
    public const string UsernameItem = "twilio.auth.username";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var account = options.Value;
        var username = Authenticate(http.Request.Headers.Authorization.ToString(), account);
        if (username is null)
        {
            counters.Count(Counter.Unauthorized);
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            return TwilioErrors.Unauthorized();
        }

        var pathAccount = http.GetRouteValue("accountSid") as string;
        if (!TwilioSid.IsAccountSid(pathAccount))
        {
            // Not an account path at all, so the resource does not exist (inferred: Twilio's exact answer is not documented).
            return TwilioErrors.NotFound(http.Request.Path);
        }

        if (!string.Equals(pathAccount, account.AccountSid, StringComparison.Ordinal))
        {
            // The credentials are valid but not for this account.
            counters.Count(Counter.Unauthorized);
            return TwilioErrors.Unauthorized();
        }

        http.Items[UsernameItem] = username;
        return await next(context);
    }

    /// <returns>The Basic user name when the credentials are valid, else null.</returns>
    private static string? Authenticate(string header, EmulatorOptions account)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !"Basic".Equals(value.Scheme, StringComparison.OrdinalIgnoreCase)
            || value.Parameter is null)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        var (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        var viaAuthToken = user == account.AccountSid && SecretEquals(password, account.AuthToken);
        var viaApiKey = !string.IsNullOrEmpty(account.ApiKeySid) && user == account.ApiKeySid && SecretEquals(password, account.ApiKeySecret ?? "");
        return viaAuthToken || viaApiKey ? user : null;
    }

    private static bool SecretEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
