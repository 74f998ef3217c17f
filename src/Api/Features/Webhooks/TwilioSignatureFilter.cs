using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// Lets a webhook through only with a valid X-Twilio-Signature: HMAC-SHA1 with the auth token over the public URL
/// Twilio was given (<see cref="WebhookSignatureOptions.PublicBaseUrl"/> + path + query, as received) and every form field.
/// The signature is the webhook's only authentication.
/// </summary>
internal sealed class TwilioSignatureFilter(IOptions<WebhookSignatureOptions> api, IOptions<TwilioOptions> twilio, ILogger<TwilioSignatureFilter> logger)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.HasFormContentType)
        {
            return ApiProblems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Twilio webhooks are application/x-www-form-urlencoded.");
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException exception)
        {
            // A NUL in a value, too many fields, too long a value: the form reader refuses it, and that is the caller's fault.
            return ApiProblems.Status(StatusCodes.Status400BadRequest, "Bad request", $"The form body cannot be read: {exception.Message}");
        }

        var url = PublicUrl(http.Request);
        var token = twilio.Value.AuthToken;
        if (url is null || string.IsNullOrEmpty(token))
        {
            logger.LogError("Twilio webhook refused: Api:PublicBaseUrl and Twilio:AuthToken must both be set to verify signatures");
            return Forbidden();
        }

        if (!TwilioRequestSignature.Verify(token, url, form, http.Request.Headers[TwilioRequestSignature.HeaderName].ToString()))
        {
            logger.LogWarning("Twilio webhook {Path} refused: bad or missing signature for {Url}", http.Request.Path.Value, url);
            return Forbidden();
        }

        return await next(context);
    }

    /// <summary>The URL Twilio signed, or null when no public base URL is configured.</summary>
    private string? PublicUrl(HttpRequest request) =>
        api.Value.PublicBaseUrl is { } root
            ? string.Concat(root.AbsoluteUri.TrimEnd('/'), request.Path.Value, request.QueryString.Value)
            : null;

    private static ProblemHttpResult Forbidden() =>
        ApiProblems.Status(StatusCodes.Status403Forbidden, "Forbidden", $"Missing or invalid {TwilioRequestSignature.HeaderName}.");
}
