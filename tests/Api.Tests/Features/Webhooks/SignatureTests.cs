using System.Net;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Tests.Features.Webhooks;

/// <summary>The endpoint checks signatures exactly as Twilio computes them (the test vector in docs/twilio.md).</summary>
public sealed class SignatureTests(WebhookFixture api) : IClassFixture<WebhookFixture>
{
    private static readonly Dictionary<string, string> VectorFields = new()
    {
        ["CallSid"] = "CA1234567890ABCDE", ["Caller"] = "+14158675309", ["Digits"] = "1234",
        ["From"] = "+14158675309", ["To"] = "+18005551212",
    };

    [Fact]
    public void TheSigningUsedHereMatchesTwiliosTestVector() =>
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            TwilioRequestSignature.Compute(WebhookFixture.AuthToken, "https://mycompany.com/myapp.php?foo=1&bar=2", VectorFields));

    [Fact]
    public async Task ARequestSignedForTheConfiguredPublicUrlWithItsQueryPasses()
    {
        var fields = new Dictionary<string, string>(VectorFields) { ["MessageSid"] = "SM" + new string('a', 32), ["MessageStatus"] = "sent" };

        var response = await api.PostSignedAsync("/webhooks/twilio/status?foo=1&bar=2", fields);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task TheVectorsSignatureForAnotherUrlIsRefused()
    {
        var response = await api.PostSignedAsync("/webhooks/twilio/status?foo=1&bar=2", VectorFields, "RSOYDt4T1cUTdK1PDd93/VVr8B8=");

        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AQueryStringChangedAfterSigningIsRefused()
    {
        var fields = new Dictionary<string, string>(VectorFields) { ["MessageSid"] = "SM" + new string('b', 32), ["MessageStatus"] = "sent" };
        var signature = TwilioRequestSignature.Compute(WebhookFixture.AuthToken, WebhookFixture.PublicBaseUrl + "/webhooks/twilio/status?foo=1", fields);

        var response = await api.PostSignedAsync("/webhooks/twilio/status?foo=2", fields, signature);

        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
    }
}
