using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Domain.Tests.Leads;

public sealed class PhoneNumberNormalizerTests
{
    [Theory]
    [InlineData("+14155552671", null, "+14155552671")]
    [InlineData("+1 (415) 555-2671", null, "+14155552671")]
    [InlineData("  +44 20 7183 8750 ", null, "+442071838750")]
    [InlineData("020 7183 8750", "GB", "+442071838750")]
    [InlineData("(415) 555-2671", "us", "+14155552671")]
    [InlineData("+33 6 12 34 56 78", null, "+33612345678")]
    public void ValidNumbersBecomeE164(string input, string? region, string expected)
    {
        var result = PhoneNumberNormalizer.Normalize(input, region);

        Assert.Equal(expected, result.E164);
        Assert.Null(result.Error);
    }

    [Theory]
    [InlineData(null, null, "required")]
    [InlineData("4155552671", null, "no country code")]
    [InlineData("4155552671", "ZZ", "not a known region")]
    [InlineData("+1 555", null, "not a valid phone number")]
    [InlineData("hello", "US", "not a phone number")]
    public void InvalidNumbersSayWhy(string? input, string? region, string expected)
    {
        var result = PhoneNumberNormalizer.Normalize(input, region);

        Assert.False(result.IsValid);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
