using SmsRemarketing.Domain.Privacy;

namespace SmsRemarketing.Domain.Tests.Privacy;

public sealed class PhoneRedactionTests
{
    [Theory]
    [InlineData("+14155550123", "+1415•••0123")]
    [InlineData("+1 (415) 555-0123", "+1415•••0123")]
    [InlineData("+4915123456789", "+4915•••6789")]
    [InlineData("+3541234567", "+3541•••4567")]
    [InlineData("+35412345", "+35•••45")]
    [InlineData("4155550123", "4155•••0123")]
    [InlineData("+1234", "+•••")]
    public void AMaskedNumberKeepsItsEndsAndHidesItsMiddle(string phone, string masked) =>
        Assert.Equal(masked, PhoneRedaction.Mask(phone));

    [Fact]
    public void EveryE164NumberInATextIsMaskedAndTheRestIsLeftAlone()
    {
        const string text = "The 'To' number +15005550001 is not a valid phone number (from +4915123456789), message 0f8fad5b-d9cb-469f-a165-70867728950e.";

        Assert.Equal(
            "The 'To' number +1500•••0001 is not a valid phone number (from +4915•••6789), message 0f8fad5b-d9cb-469f-a165-70867728950e.",
            PhoneRedaction.InText(text));
    }

    [Fact]
    public void ANumberAsItWasGivenIsMaskedToo()
    {
        Assert.Equal("Invalid phone: '4155•••0123' is not a phone number.",
            PhoneRedaction.InText("Invalid phone: '415 555 0123' is not a phone number.", "415 555 0123"));
    }
}
