namespace SmsRemarketing.Twilio.Tests;

public sealed class SmsSegmentsTests
{
    public static TheoryData<string, string, SmsEncoding, int, int> Bodies => new()
    {
        { "empty body", "", SmsEncoding.Gsm7, 0, 1 },
        { "160 GSM characters", new string('a', 160), SmsEncoding.Gsm7, 160, 1 },
        { "161 GSM characters", new string('a', 161), SmsEncoding.Gsm7, 161, 2 },
        { "306 GSM characters", new string('a', 306), SmsEncoding.Gsm7, 306, 2 },
        { "307 GSM characters", new string('a', 307), SmsEncoding.Gsm7, 307, 3 },
        { "euro sign", "€", SmsEncoding.Gsm7, 2, 1 },
        { "caret", "^", SmsEncoding.Gsm7, 2, 1 },
        { "curly brace", "{", SmsEncoding.Gsm7, 2, 1 },
        { "all extension characters", "^{}\\[~]|€\f", SmsEncoding.Gsm7, 20, 1 },
        { "80 euro signs fill one segment", new string('€', 80), SmsEncoding.Gsm7, 160, 1 },
        { "81 euro signs", new string('€', 81), SmsEncoding.Gsm7, 162, 2 },
        { "an escape pair is never split across parts", new string('a', 152) + "^" + new string('a', 152), SmsEncoding.Gsm7, 306, 3 },
        { "accented letters of the GSM table", "éèùìòÇÉÄÖÑÜäöñüà", SmsEncoding.Gsm7, 16, 1 },
        { "Greek capitals of the GSM table", "ΔΦΓΛΩΠΨΣΘΞ", SmsEncoding.Gsm7, 10, 1 },
        { "a-acute is not GSM", "á", SmsEncoding.Ucs2, 1, 1 },
        { "lower-case c-cedilla is not GSM", "ç", SmsEncoding.Ucs2, 1, 1 },
        { "one accented letter outside GSM makes 160 characters UCS-2", new string('a', 159) + "á", SmsEncoding.Ucs2, 160, 3 },
        { "emoji counts two UTF-16 units", "😀", SmsEncoding.Ucs2, 2, 1 },
        { "70 UCS-2 characters", new string('ж', 70), SmsEncoding.Ucs2, 70, 1 },
        { "71 UCS-2 characters", new string('ж', 71), SmsEncoding.Ucs2, 71, 2 },
        { "134 UCS-2 characters", new string('ж', 134), SmsEncoding.Ucs2, 134, 2 },
        { "135 UCS-2 characters", new string('ж', 135), SmsEncoding.Ucs2, 135, 3 },
        { "69 UCS-2 characters and an emoji overflow one segment", new string('ж', 69) + "😀", SmsEncoding.Ucs2, 71, 2 },
        { "a surrogate pair is never split across parts", new string('ж', 66) + "😀" + new string('ж', 66), SmsEncoding.Ucs2, 134, 3 },
        { "an escape pair that does not fit a part moves whole to the next", new string('a', 152) + "€" + new string('a', 10), SmsEncoding.Gsm7, 164, 2 },
        { "a surrogate pair that does not fit a part moves whole to the next", new string('ж', 66) + "😀" + new string('ж', 10), SmsEncoding.Ucs2, 78, 2 },
        { "66 characters, an emoji and one more still fit one segment", new string('ж', 66) + "😀" + "ж", SmsEncoding.Ucs2, 69, 1 },
        { "35 emoji fill one segment", string.Concat(Enumerable.Repeat("😀", 35)), SmsEncoding.Ucs2, 70, 1 },
        { "36 emoji", string.Concat(Enumerable.Repeat("😀", 36)), SmsEncoding.Ucs2, 72, 2 },
        { "a greeting with an emoji", "Hi 👋 there", SmsEncoding.Ucs2, 11, 1 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void SegmentsFollowGSM7AndUCS2Rules(string because, string body, SmsEncoding encoding, int units, int segments)
    {
        var info = SmsSegments.Analyze(body);
        Assert.True(new SmsSegmentInfo(encoding, units, segments) == info, $"{because}: got {info}");
        Assert.Equal(segments, SmsSegments.Count(body));
    }
}
