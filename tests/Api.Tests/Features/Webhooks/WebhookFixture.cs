using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Tests.Features.Webhooks;

/// <summary>
/// The Api with a public base URL and auth token of Twilio's documented signature example (docs/twilio.md), and a way to
/// post a form signed as Twilio signs it.
/// </summary>
public sealed class WebhookFixture : ApiFixture
{
    public const string AuthToken = "12345";
    public const string PublicBaseUrl = "https://mycompany.com";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:PublicBaseUrl"] = PublicBaseUrl,
        ["Twilio:AuthToken"] = AuthToken,
        ["Twilio:DefaultFrom"] = "+15005550006",
    };

    /// <summary>Posts <paramref name="fields"/> to <paramref name="pathAndQuery"/>, signed for the public URL unless a signature is given.</summary>
    public async Task<HttpResponseMessage> PostSignedAsync(
        string pathAndQuery, IReadOnlyDictionary<string, string> fields, string? signature = null, bool sign = true)
    {
        using var http = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new FormUrlEncodedContent(fields) };
        if (sign)
        {
            request.Headers.Add(TwilioRequestSignature.HeaderName,
                signature ?? TwilioRequestSignature.Compute(AuthToken, PublicBaseUrl + pathAndQuery, fields));
        }

        return await http.SendAsync(request);
    }
}
