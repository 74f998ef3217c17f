using System.Buffers.Binary;
using System.Buffers.Text;

namespace SmsRemarketing.Api.Hosting;

/// <summary>
/// An opaque keyset position (created_at, id) of the last row of a page. Keyset rather than offset paging: a page
/// costs the same however deep it is, and rows inserted meanwhile neither repeat nor vanish.
/// </summary>
internal readonly record struct Cursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(bytes, CreatedAt.UtcTicks);
        Id.TryWriteBytes(bytes[8..]);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string? text, out Cursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[24];
        // IsValid first: TryDecodeFromChars throws on a character outside the alphabet ('/', '%', …) instead of failing.
        if (text.Length != 32 || !Base64Url.IsValid(text) || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != 24)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new Cursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[8..]));
        return true;
    }
}
