namespace SmsRemarketing.Twilio;

public enum SmsEncoding
{
    /// <summary>GSM 03.38 7-bit: 160 septets in one segment, 153 per part when split.</summary>
    Gsm7,

    /// <summary>UTF-16 code units: 70 in one segment, 67 per part. One non-GSM character switches the whole message.</summary>
    Ucs2,
}
