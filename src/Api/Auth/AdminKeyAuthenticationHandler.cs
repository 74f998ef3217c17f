using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Hosting;

namespace SmsRemarketing.Api.Auth;

/// <summary><c>X-Admin-Key</c>, compared with <c>Api:AdminKey</c> in constant time (hashes, so lengths leak nothing either).</summary>
internal sealed class AdminKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<AuthOptions> api, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiAuthentication.AdminHeader, out var values) || values.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(values.ToString()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(api.Value.AdminKey));
        if (!CryptographicOperations.FixedTimeEquals(given, expected))
        {
            return Task.FromResult(AuthenticateResult.Fail("The admin key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, ApiAuthentication.AdminScheme)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await ProblemWriter.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? $"This endpoint needs the admin key in the {ApiAuthentication.AdminHeader} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "Forbidden", "Admin only.");
}
