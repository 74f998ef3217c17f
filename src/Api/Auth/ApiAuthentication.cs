using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace SmsRemarketing.Api.Auth;

/// <summary>
/// Two doors: tenants with <c>X-API-Key</c>, the operator with <c>X-Admin-Key</c>. Each policy accepts only its own
/// scheme, so a tenant key never opens an admin endpoint. The default scheme picks by header, so that the user is
/// known before the rate limiter partitions by key.
/// </summary>
internal static class ApiAuthentication
{
    public const string TenantScheme = "ApiKey";
    public const string AdminScheme = "AdminKey";
    public const string TenantPolicy = "tenant";
    public const string AdminPolicy = "admin";
    public const string TenantHeader = "X-API-Key";
    public const string AdminHeader = "X-Admin-Key";
    public const string ClientIdClaim = "client_id";
    public const string ActiveClaim = "client_active";

    public static IHostApplicationBuilder AddApiAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddHostedService<ApiKeyChangeListener>();
        builder.Services.AddSingleton<FailedAuthenticationLimiter>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = "ByHeader";
            })
            .AddPolicyScheme("ByHeader", "API key or admin key", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(AdminHeader) && !context.Request.Headers.ContainsKey(TenantHeader)
                        ? AdminScheme
                        : TenantScheme)
            .AddScheme<AuthenticationSchemeOptions, TenantKeyAuthenticationHandler>(TenantScheme, null)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyAuthenticationHandler>(AdminScheme, null);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(TenantPolicy, policy => policy
                .AddAuthenticationSchemes(TenantScheme)
                .RequireClaim(ClientIdClaim)
                .RequireClaim(ActiveClaim, "true"))
            .AddPolicy(AdminPolicy, policy => policy
                .AddAuthenticationSchemes(AdminScheme)
                .RequireRole(AdminScheme));
        return builder;
    }

    /// <summary>The tenant of an authenticated request; endpoints behind the tenant policy always have one.</summary>
    public static Guid ClientId(this ClaimsPrincipal user) =>
        Guid.Parse(user.FindFirstValue(ClientIdClaim) ?? throw new InvalidOperationException("Not a tenant request."));
}
