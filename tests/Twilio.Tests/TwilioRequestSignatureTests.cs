using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioRequestSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";

    // NOTES.md test vector (twilio-php docs, twilio-java #424).
    private static readonly Dictionary<string, string> VectorFields = new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    [Fact]
    public void The_form_test_vector_from_Twilio_signs_to_the_published_signature() =>
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioRequestSignature.Compute(Token, Url, VectorFields));

    [Fact]
    public void The_form_test_vector_verifies() =>
        Assert.True(TwilioRequestSignature.Verify(Token, Url, VectorFields, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Fact]
    public void The_order_in_which_fields_arrive_does_not_matter() =>
        Assert.Equal("RSOYDt4T1cUTdK1PDd93/VVr8B8=", TwilioRequestSignature.Compute(Token, Url, VectorFields.Reverse()));

    [Fact]
    public void A_changed_field_value_fails_verification()
    {
        var tampered = new Dictionary<string, string>(VectorFields) { ["Digits"] = "1235" };
        Assert.False(TwilioRequestSignature.Verify(Token, Url, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void An_extra_field_fails_verification()
    {
        var extra = new Dictionary<string, string>(VectorFields) { ["ErrorCode"] = "30003" };
        Assert.False(TwilioRequestSignature.Verify(Token, Url, extra, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
    }

    [Fact]
    public void Another_auth_token_fails_verification() =>
        Assert.False(TwilioRequestSignature.Verify("54321", Url, VectorFields, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));

    [Fact]
    public void A_missing_or_empty_signature_fails_verification()
    {
        Assert.False(TwilioRequestSignature.Verify(Token, Url, VectorFields, null));
        Assert.False(TwilioRequestSignature.Verify(Token, Url, VectorFields, ""));
    }

    [Fact]
    public void A_url_signed_without_the_default_port_verifies_when_the_receiver_sees_it_with_the_port()
    {
        var signature = TwilioRequestSignature.Compute(Token, Url, VectorFields);
        Assert.True(TwilioRequestSignature.Verify(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", VectorFields, signature));
    }

    [Fact]
    public void A_url_signed_with_the_default_port_verifies_when_the_receiver_sees_it_without()
    {
        var signature = TwilioRequestSignature.Compute(Token, "http://mycompany.com:80/myapp.php?foo=1&bar=2", VectorFields);
        Assert.True(TwilioRequestSignature.Verify(Token, "http://mycompany.com/myapp.php?foo=1&bar=2", VectorFields, signature));
    }

    [Fact]
    public void A_non_default_port_is_part_of_the_signed_url()
    {
        var signature = TwilioRequestSignature.Compute(Token, "https://mycompany.com:8443/myapp.php", VectorFields);
        Assert.False(TwilioRequestSignature.Verify(Token, "https://mycompany.com/myapp.php", VectorFields, signature));
        Assert.True(TwilioRequestSignature.Verify(Token, "https://mycompany.com:8443/myapp.php", VectorFields, signature));
    }

    [Fact]
    public void Port_variants_keep_user_info_and_leave_ipv6_addresses_intact()
    {
        Assert.Contains("https://u:p@host:443/x", TwilioRequestSignature.UrlsWithAndWithoutDefaultPort("https://u:p@host/x"));
        Assert.Contains("http://[::1]/cb", TwilioRequestSignature.UrlsWithAndWithoutDefaultPort("http://[::1]:80/cb"));
        Assert.Contains("http://[::1]:80/cb", TwilioRequestSignature.UrlsWithAndWithoutDefaultPort("http://[::1]/cb"));
    }

    [Fact]
    public void Repeated_fields_are_deduplicated_sorted_and_each_emitted_as_name_and_value_like_twilio_node()
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
    public void A_repeated_key_given_as_separate_pairs_signs_like_the_same_key_with_several_values()
    {
        var asPairs = new[] { KeyValuePair.Create("A", "2"), KeyValuePair.Create("A", "1") };
        var asValues = new[] { KeyValuePair.Create("A", new StringValues(["1", "2"])) };
        Assert.Equal(TwilioRequestSignature.Compute(Token, Url, asValues), TwilioRequestSignature.Compute(Token, Url, asPairs));
    }

    [Fact]
    public void The_body_hash_test_vector_matches_the_published_hash() =>
        Assert.Equal(
            "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
            TwilioRequestSignature.ComputeBodyHash("""{"property": "value", "boolean": true}"""));

    [Fact]
    public void The_json_body_test_vector_signs_the_url_carrying_bodySHA256_to_the_published_signature()
    {
        var url = Url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        Assert.Equal("a9nBmqA0ju/hNViExpshrM61xv4=", TwilioRequestSignature.Compute(Token, url, new Dictionary<string, string>()));
        Assert.True(TwilioRequestSignature.VerifyWithBody(Token, url, Encoding.UTF8.GetBytes("""{"property": "value", "boolean": true}"""), "a9nBmqA0ju/hNViExpshrM61xv4="));
    }

    [Fact]
    public void A_json_body_that_does_not_match_its_bodySHA256_fails_even_with_a_valid_url_signature()
    {
        var url = Url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        Assert.False(TwilioRequestSignature.VerifyWithBody(Token, url, Encoding.UTF8.GetBytes("""{"property": "evil", "boolean": true}"""), "a9nBmqA0ju/hNViExpshrM61xv4="));
    }
}
