using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace SmsRemarketing.Twilio;

/// <summary>
/// X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + each field's name+value sorted by name)).
/// Repeated fields follow twilio-node: values de-duplicated, sorted, each emitted as name+value.
/// JSON bodies are signed through a <c>bodySHA256</c> query parameter instead of fields.
/// </summary>
public static class TwilioRequestSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    public const string BodyHashParameter = "bodySHA256";

    /// <summary><c>url</c> is the full URL exactly as configured at Twilio (scheme, host, port, path, query).</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return ComputeCore(authToken, url, fields.Select(f => KeyValuePair.Create(f.Key, new StringValues(f.Value))));
    }

    /// <summary>For ASP.NET Core's <c>IFormCollection</c>, whose fields can repeat.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> fields) =>
        ComputeCore(authToken, url, fields);

    /// <summary>
    /// Checks a form-encoded request. Accepts the URL with and without the scheme's default port (:443/:80), as
    /// twilio-node does, because Twilio is inconsistent about it. Validate over all received fields: Twilio adds fields
    /// without notice.
    /// </summary>
    public static bool Verify(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields, string? signature)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Verify(authToken, url, fields.Select(f => KeyValuePair.Create(f.Key, new StringValues(f.Value))), signature);
    }

    public static bool Verify(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> fields, string? signature)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var materialized = fields.ToList();
        var valid = false;
        foreach (var candidate in UrlsWithAndWithoutDefaultPort(url))
        {
            // No short-circuit: every candidate costs the same whether or not an earlier one matched.
            valid |= FixedTimeEquals(ComputeCore(authToken, candidate, materialized), signature);
        }

        return valid;
    }

    /// <summary>Lower-case hex SHA-256 of the raw body, as Twilio puts it in <c>bodySHA256</c>.</summary>
    public static string ComputeBodyHash(ReadOnlySpan<byte> rawBody) => Convert.ToHexStringLower(SHA256.HashData(rawBody));

    public static string ComputeBodyHash(string rawBody)
    {
        ArgumentNullException.ThrowIfNull(rawBody);
        return ComputeBodyHash(Encoding.UTF8.GetBytes(rawBody));
    }

    /// <summary>
    /// Checks a JSON-bodied request: the signature covers the URL (which carries <c>bodySHA256</c>) with no fields,
    /// and the hash must match the raw body. Both must hold.
    /// </summary>
    public static bool VerifyWithBody(string authToken, string url, ReadOnlySpan<byte> rawBody, string? signature)
    {
        var urlValid = Verify(authToken, url, Array.Empty<KeyValuePair<string, StringValues>>(), signature);
        var claimedHash = QueryValue(url, BodyHashParameter);
        var hashValid = claimedHash is not null && FixedTimeEquals(ComputeBodyHash(rawBody), claimedHash);
        return urlValid & hashValid;
    }

    private static string ComputeCore(string authToken, string url, IEnumerable<KeyValuePair<string, StringValues>> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(authToken);
        ArgumentNullException.ThrowIfNull(url);
        var data = new StringBuilder(url);
        // Ordinal = JavaScript's default sort (UTF-16 code units), which twilio-node uses.
        foreach (var field in fields.GroupBy(f => f.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var values = field.SelectMany(f => f.Value.Count == 0 ? [""] : f.Value.Select(v => v ?? ""))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal);
            foreach (var value in values)
            {
                data.Append(field.Key).Append(value);
            }
        }

#pragma warning disable CA5350 // Twilio's protocol is HMAC-SHA1; the choice is not ours.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>The URL as given, plus the same URL with the default port added (none given) or removed (default given).</summary>
    internal static IEnumerable<string> UrlsWithAndWithoutDefaultPort(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        yield return url;

        // Work on the string, not Uri.ToString(): the signature covers the exact characters, and Uri normalizes.
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            yield break;
        }

        var scheme = url[..schemeEnd];
        int defaultPort;
        if (scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            defaultPort = 443;
        }
        else if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            defaultPort = 80;
        }
        else
        {
            yield break;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var hostStart = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) + 1;
        if (hostStart == 0)
        {
            hostStart = authorityStart;
        }

        var closingBracket = url.LastIndexOf(']', authorityEnd - 1, authorityEnd - hostStart);
        var colon = url.LastIndexOf(':', authorityEnd - 1, authorityEnd - hostStart);
        if (colon > closingBracket)
        {
            if (url[(colon + 1)..authorityEnd] == defaultPort.ToString(CultureInfo.InvariantCulture))
            {
                yield return string.Concat(url.AsSpan(0, colon), url.AsSpan(authorityEnd));
            }
        }
        else
        {
            yield return string.Concat(url.AsSpan(0, authorityEnd), ":", defaultPort.ToString(CultureInfo.InvariantCulture), url.AsSpan(authorityEnd));
        }
    }

    private static string? QueryValue(string url, string name)
    {
        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            return null;
        }

        var fragment = url.IndexOf('#', queryStart);
        var query = fragment < 0 ? url[(queryStart + 1)..] : url[(queryStart + 1)..fragment];
        foreach (var pair in query.Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (Uri.UnescapeDataString(key) == name)
            {
                return equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
