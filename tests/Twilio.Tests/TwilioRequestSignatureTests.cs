using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioRequestSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    // The test vector of docs/twilio.md (twilio-php docs, twilio-java #424).
    private static readonly Dictionary<string, string> VectorFields = new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    [Fact]
    public void TheFormTestVectorFromTwilioSignsToThePublishedSignature() =>
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioRequestSignature.Compute(Token, Url, VectorFields));

    [Fact]
    public void TheFormTestVectorVerifies() =>
        Assert.True(TwilioRequestSignature.Verify(Token, Url, VectorFields, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Fact]
    public void TheOrderInWhichFieldsArriveDoesNotMatter() =>
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioRequestSignature.Compute(Token, Url, VectorFields.Reverse()));

    [Fact]
    public void AChangedFieldValueFailsVerification()
    {
        var tampered = new Dictionary<string, string>(VectorFields) { ["Digits"] = "1235" };
        Assert.False(TwilioRequestSignature.Verify(Token, Url, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void AnExtraFieldFailsVerification()
    {
        var extra = new Dictionary<string, string>(VectorFields) { ["ErrorCode"] = "30003" };
        Assert.False(TwilioRequestSignature.Verify(Token, Url, extra, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void AnotherAuthTokenFailsVerification() =>
        Assert.False(TwilioRequestSignature.Verify("54321", Url, VectorFields, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Fact]
    public void AMissingOrEmptySignatureFailsVerification()
    {
        Assert.False(TwilioRequestSignature.Verify(Token, Url, VectorFields, null));
        Assert.False(TwilioRequestSignature.Verify(Token, Url, VectorFields, ""));
    }

    [Fact]
    public void AUrlSignedWithoutTheDefaultPortVerifiesWhenTheReceiverSeesItWithThePort()
    {
        var signature = TwilioRequestSignature.Compute(Token, Url, VectorFields);
        Assert.True(TwilioRequestSignature.Verify(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", VectorFields, signature));
    }

    [Fact]
    public void AUrlSignedWithTheDefaultPortVerifiesWhenTheReceiverSeesItWithout()
    {
        var signature = TwilioRequestSignature.Compute(Token, "http://mycompany.com:80/myapp.php?foo=1&bar=2", VectorFields);
        Assert.True(TwilioRequestSignature.Verify(Token, "http://mycompany.com/myapp.php?foo=1&bar=2", VectorFields, signature));
    }

    [Fact]
    public void ANonDefaultPortIsPartOfTheSignedUrl()
    {
        var signature = TwilioRequestSignature.Compute(Token, "https://mycompany.com:8443/myapp.php", VectorFields);
        Assert.False(TwilioRequestSignature.Verify(Token, "https://mycompany.com/myapp.php", VectorFields, signature));
        Assert.True(TwilioRequestSignature.Verify(Token, "https://mycompany.com:8443/myapp.php", VectorFields, signature));
    }

    [Fact]
    public void PortVariantsKeepUserInfoAndLeaveIpv6AddressesIntact()
    {
        Assert.Contains("https://u:p@host:443/x", TwilioRequestSignature.UrlsWithAndWithoutDefaultPort("https://u:p@host/x"));
        Assert.Contains("http://[::1]/cb", TwilioRequestSignature.UrlsWithAndWithoutDefaultPort("http://[::1]:80/cb"));
        Assert.Contains("http://[::1]:80/cb", TwilioRequestSignature.UrlsWithAndWithoutDefaultPort("http://[::1]/cb"));
    }

    [Fact]
    public void RepeatedFieldsAreDeduplicatedSortedAndEachEmittedAsNameAndValueLikeTwilioNode()
    {
        var fields = new[]
        {
            KeyValuePair.Create("MediaUrl", new StringValues(["https://b.example/2.png", "https://a.example/1.png", "https://b.example/2.png"])),
            KeyValuePair.Create("Body", new StringValues("hi")),
        };
        var data = Url + "Bodyhi" + "MediaUrlhttps://a.example/1.png" + "MediaUrlhttps://b.example/2.png";
#pragma warning disable CA5350 // Twilio's protocol is HMAC-SHA1.
        var expected = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Token), Encoding.UTF8.GetBytes(data)));
#pragma warning restore CA5350

        Assert.Equal(expected, TwilioRequestSignature.Compute(Token, Url, fields));
    }

    [Fact]
    public void ARepeatedKeyGivenAsSeparatePairsSignsLikeTheSameKeyWithSeveralValues()
    {
        var asPairs = new[] { KeyValuePair.Create("A", "2"), KeyValuePair.Create("A", "1") };
        var asValues = new[] { KeyValuePair.Create("A", new StringValues(["1", "2"])) };
        Assert.Equal(TwilioRequestSignature.Compute(Token, Url, asValues), TwilioRequestSignature.Compute(Token, Url, asPairs));
    }

    [Fact]
    public void TheBodyHashTestVectorMatchesThePublishedHash() =>
        Assert.Equal(
            "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
            TwilioRequestSignature.ComputeBodyHash("""{"property": "value", "boolean": true}"""));

    [Fact]
    public void TheJsonBodyTestVectorSignsTheUrlCarryingBodySHA256ToThePublishedSignature()
    {
        var url = Url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        Assert.Equal("a9nBmqA0ju/hNViExpshrM61xv4=", TwilioRequestSignature.Compute(Token, url, new Dictionary<string, string>()));
        Assert.True(TwilioRequestSignature.VerifyWithBody(Token, url, Encoding.UTF8.GetBytes("""{"property": "value", "boolean": true}"""), "a9nBmqA0ju/hNViExpshrM61xv4="));
    }

    [Fact]
    public void AJsonBodyThatDoesNotMatchItsBodySHA256FailsEvenWithAValidUrlSignature()
    {
        var url = Url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        Assert.False(TwilioRequestSignature.VerifyWithBody(Token, url, Encoding.UTF8.GetBytes("""{"property": "evil", "boolean": true}"""), "a9nBmqA0ju/hNViExpshrM61xv4="));
    }
}
