namespace SmsRemarketing.Twilio;

/// <summary><see cref="Units"/>: septets for GSM-7 (extension characters count two), UTF-16 code units for UCS-2.</summary>
public sealed record SmsSegmentInfo(SmsEncoding Encoding, int Units, int Segments);
