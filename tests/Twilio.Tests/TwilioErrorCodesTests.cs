namespace SmsRemarketing.Twilio.Tests;

public sealed class TwilioErrorCodesTests
{
    [Theory]
    [InlineData(429, 20429, TwilioFailureKind.Transient)]
    [InlineData(429, null, TwilioFailureKind.Transient)]
    [InlineData(500, 20500, TwilioFailureKind.Transient)]
    [InlineData(503, null, TwilioFailureKind.Transient)]
    [InlineData(400, 21211, TwilioFailureKind.Permanent)]
    [InlineData(400, 21610, TwilioFailureKind.Permanent)]
    [InlineData(401, 20003, TwilioFailureKind.Permanent)]
    [InlineData(404, 20404, TwilioFailureKind.Permanent)]
    public void HttpAnswersAreClassifiedAsPermanentOrTransient(int status, int? code, TwilioFailureKind expected) =>
        Assert.Equal(expected, TwilioErrorCodes.Classify(status, code));

    [Fact]
    public void ASuccessStatusIsNotAFailureToClassify() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TwilioErrorCodes.Classify(201, null));

    [Fact]
    public void Only21610MeansTheRecipientOptedOut()
    {
        Assert.True(TwilioErrorCodes.IsOptOut(21610));
        Assert.False(TwilioErrorCodes.IsOptOut(21211));
        Assert.False(TwilioErrorCodes.IsOptOut(null));
    }

    [Fact]
    public void InvalidLandlineAndNonMobileRecipientsAreUndeliverableButGeoPermissionsAreNot()
    {
        Assert.True(TwilioErrorCodes.IsUndeliverableRecipient(21211));
        Assert.True(TwilioErrorCodes.IsUndeliverableRecipient(21614));
        Assert.True(TwilioErrorCodes.IsUndeliverableRecipient(21635));
        Assert.False(TwilioErrorCodes.IsUndeliverableRecipient(21408));
    }

    [Fact]
    public void AnUnreachableHandsetIsWorthALaterAttemptButALandlineIsNot()
    {
        Assert.True(TwilioErrorCodes.IsRetryableDeliveryError(30003));
        Assert.False(TwilioErrorCodes.IsRetryableDeliveryError(30006));
        Assert.False(TwilioErrorCodes.IsRetryableDeliveryError(30007));
    }
}
