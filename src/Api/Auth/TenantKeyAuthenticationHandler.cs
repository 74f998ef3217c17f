using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Hosting;

namespace SmsRemarketing.Api.Auth;

/// <summary>
/// <c>X-API-Key: sk_…</c>: found by its prefix, verified by comparing hashes in constant time. An inactive client
/// authenticates (so the answer can be 403, not 401) but fails the tenant policy.
/// </summary>
internal sealed class TenantKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeyCache keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiAuthentication.TenantHeader, out var values) || values.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var key = values.ToString();
        var prefix = ApiKeys.PrefixOf(key);
        var owner = prefix is null ? null : await keys.FindAsync(prefix, Context.RequestAborted);
        // The hash is computed and compared whether or not the prefix is known, so the secret check costs the same.
        var matches = ApiKeys.Matches(key, owner?.Hash ?? ApiKeys.NoKeyHash);
        if (owner is null || !matches)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ApiAuthentication.ClientIdClaim, owner.ClientId.ToString()),
                new Claim(ApiAuthentication.ActiveClaim, owner.IsActive ? "true" : "false"),
            ],
            Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        await ProblemWriter.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            result.Failure?.Message ?? $"Send your API key in the {ApiAuthentication.TenantHeader} header.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemWriter.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "Forbidden", "This client is inactive.");
}
