using System.Collections.Frozen;

namespace SmsRemarketing.Twilio;

/// <summary>
/// Segment count of an SMS body, as Twilio bills it (standard long-code rules; toll-free US/CA parts are 152/66
/// and are not modelled). GSM-7 basic and extension tables per 3GPP TS 23.038.
/// </summary>
public static class SmsSegments
{
    public const int Gsm7SingleSegment = 160;
    public const int Gsm7MultipartSegment = 153;
    public const int Ucs2SingleSegment = 70;
    public const int Ucs2MultipartSegment = 67;

    // The 127 printable characters of the basic table (0x1B is ESC, which is not a character of its own).
    private const string BasicTable =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Each costs two septets (ESC + code).
    private const string ExtensionTable = "\f^{}\\[~]|€";

    private static readonly FrozenSet<char> Basic = BasicTable.ToFrozenSet();
    private static readonly FrozenSet<char> Extension = ExtensionTable.ToFrozenSet();

    /// <summary>The segment count alone; an empty body counts as one message.</summary>
    public static int Count(string body) => Analyze(body).Segments;

    public static SmsEncoding DetectEncoding(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        foreach (var c in body)
        {
            if (!Basic.Contains(c) && !Extension.Contains(c))
            {
                return SmsEncoding.Ucs2;
            }
        }

        return SmsEncoding.Gsm7;
    }

    public static SmsSegmentInfo Analyze(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return DetectEncoding(body) == SmsEncoding.Gsm7 ? AnalyzeGsm7(body) : AnalyzeUcs2(body);
    }

    private static SmsSegmentInfo AnalyzeGsm7(string body)
    {
        var septets = 0;
        foreach (var c in body)
        {
            septets += Extension.Contains(c) ? 2 : 1;
        }

        if (septets <= Gsm7SingleSegment)
        {
            return new SmsSegmentInfo(SmsEncoding.Gsm7, septets, 1);
        }

        // Greedy fill, moving an ESC pair whole to the next part rather than splitting it.
        var segments = 1;
        var used = 0;
        foreach (var c in body)
        {
            var cost = Extension.Contains(c) ? 2 : 1;
            if (used + cost > Gsm7MultipartSegment)
            {
                segments++;
                used = 0;
            }

            used += cost;
        }

        return new SmsSegmentInfo(SmsEncoding.Gsm7, septets, segments);
    }

    private static SmsSegmentInfo AnalyzeUcs2(string body)
    {
        var units = body.Length;
        if (units <= Ucs2SingleSegment)
        {
            return new SmsSegmentInfo(SmsEncoding.Ucs2, units, 1);
        }

        // Greedy fill, keeping a surrogate pair (a character outside the BMP, e.g. most emoji) in one part.
        var segments = 1;
        var used = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var cost = char.IsHighSurrogate(body[i]) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]) ? 2 : 1;
            if (used + cost > Ucs2MultipartSegment)
            {
                segments++;
                used = 0;
            }

            used += cost;
            i += cost - 1;
        }

        return new SmsSegmentInfo(SmsEncoding.Ucs2, units, segments);
    }
}
