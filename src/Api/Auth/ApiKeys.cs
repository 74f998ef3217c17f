using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace SmsRemarketing.Api.Auth;

/// <summary>
/// Tenant API keys: <c>sk_</c> and 43 URL-safe characters from 32 bytes of a CSPRNG (256 bits). Stored as the
/// SHA-256 of the whole key plus a visible prefix to find its row. A plain hash, not a slow password hash, is
/// right here: a slow hash defends guessable secrets against brute force, and a 256-bit random key cannot be
/// brute-forced, while every request has to verify its key (thousands per second).
/// </summary>
internal static class ApiKeys
{
    public const string Scheme = "sk_";

    /// <summary>"sk_" and 9 characters (54 bits): unique in practice, and harmless to show.</summary>
    public const int PrefixLength = 12;

    public const int KeyLength = 46;

    public static (string Key, string Prefix, byte[] Hash) Generate()
    {
        var key = Scheme + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (key, key[..PrefixLength], Hash(key));
    }

    /// <summary>Compared against when no client has the prefix: no key hashes to it (all zero bytes).</summary>
    public static readonly byte[] NoKeyHash = new byte[32];

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The prefix of a well-formed key, or null: a malformed key needs no database lookup to be refused.</summary>
    public static string? PrefixOf(string? key) =>
        key is { Length: KeyLength } && key.StartsWith(Scheme, StringComparison.Ordinal) && Base64Url.IsValid(key.AsSpan(Scheme.Length))
            ? key[..PrefixLength]
            : null;

    public static bool Matches(string key, byte[] storedHash) =>
        CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
