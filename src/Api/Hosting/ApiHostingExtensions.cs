using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Features.Webhooks;
using SmsRemarketing.Api.Idempotency;
using SmsRemarketing.Domain;

namespace SmsRemarketing.Api.Hosting;

/// <summary>What makes this host the Api: JSON, problem details, auth, limits, CORS, OpenAPI.</summary>
internal static class ApiHostingExtensions
{
    private const string CorsPolicy = "configured-origins";

    public static IHostApplicationBuilder AddApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        // Read by the webhooks' signature filter; bound here because the webhooks' registration is not this change's to edit.
        services.AddOptions<WebhookSignatureOptions>().BindConfiguration(WebhookSignatureOptions.SectionName);
        services.AddSmsDomain();

        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.DictionaryKeyPolicy = null;
            json.NumberHandling = JsonNumberHandling.Strict;
            json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        });

        // Unreadable requests throw (rather than answer an empty 400), so the exception handler explains them.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions["trace_id"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
        });
        services.AddSingleton<IProblemDetailsWriter, AnyAcceptProblemWriter>();
        services.AddExceptionHandler<ApiExceptionHandler>();

        builder.AddApiAuthentication();
        services.AddApiRateLimiting();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HostingOptions>>((forwarded, hosting) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in hosting.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddCors(options => options.AddPolicy(CorsPolicy, policy =>
        {
            var origins = builder.Configuration.GetSection($"{HostingOptions.SectionName}:{nameof(HostingOptions.CorsOrigins)}").Get<string[]>() ?? [];
            policy.WithOrigins(origins)
                .WithHeaders("Content-Type", ApiAuthentication.TenantHeader, ApiAuthentication.AdminHeader, IdempotentRequests.Header)
                .WithMethods("GET", "POST", "PATCH", "DELETE")
                .WithExposedHeaders("Retry-After", "Location");
        }));
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SmsRemarketing API";
            document.Info.Description =
                "Tenant endpoints take `X-API-Key: sk_…`; admin endpoints (`/clients`, `/credits/add`) take `X-Admin-Key`. " +
                "JSON is snake_case; errors are RFC 7807 problem details.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value;
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (options.HttpsRedirection)
        {
            app.UseHttpsRedirection();
        }

        app.Use(LimitRequestBody);
        app.Use(RefuseUnknownCharset);
        app.UseCors(CorsPolicy);
        app.UseMiddleware<FailedAuthenticationLimiter>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    /// <summary><c>/openapi/v1.json</c> and the browsable reference at <c>/scalar</c>.</summary>
    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("SmsRemarketing API"));
        return app;
    }

    /// <summary>
    /// A declared length over the limit is refused before reading; an undeclared (chunked) one is cut off by the
    /// server's own limit, which surfaces as a 413 from the exception handler.
    /// </summary>
    private static Task LimitRequestBody(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<HostingOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            return ProblemWriter.WriteAsync(context.RequestServices.GetRequiredService<IProblemDetailsService>(), context,
                StatusCodes.Status413PayloadTooLarge, "Request body too large", $"The request body may be at most {limit} bytes.");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }

    /// <summary>
    /// A body in a charset .NET cannot decode (<c>application/json; charset=x-klingon</c>) is an unsupported media
    /// type: refused here, because the JSON reader would throw a plain InvalidOperationException (a 500) on it.
    /// </summary>
    private static Task RefuseUnknownCharset(HttpContext context, RequestDelegate next)
    {
        if (Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            && type.Charset.HasValue && type.Encoding is null)
        {
            return ProblemWriter.WriteAsync(context.RequestServices.GetRequiredService<IProblemDetailsService>(), context,
                StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "The request's charset is not one this Api can read; send UTF-8.");
        }

        return next(context);
    }
}
