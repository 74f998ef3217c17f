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
    public void Http_answers_are_classified_as_permanent_or_transient(int status, int? code, TwilioFailureKind expected) =>
        Assert.Equal(expected, TwilioErrorCodes.Classify(status, code));

    [Fact]
    public void A_success_status_is_not_a_failure_to_classify() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TwilioErrorCodes.Classify(201, null));

    [Fact]
    public void Only_21610_means_the_recipient_opted_out()
    {
        Assert.True(TwilioErrorCodes.IsOptOut(21610));
        Assert.False(TwilioErrorCodes.IsOptOut(21211));
        Assert.False(TwilioErrorCodes.IsOptOut(null));
    }

    [Fact]
    public void Invalid_landline_and_non_mobile_recipients_are_undeliverable_but_geo_permissions_are_not()
    {
        Assert.True(TwilioErrorCodes.IsUndeliverableRecipient(21211));
        Assert.True(TwilioErrorCodes.IsUndeliverableRecipient(21614));
        Assert.True(TwilioErrorCodes.IsUndeliverableRecipient(21635));
        Assert.False(TwilioErrorCodes.IsUndeliverableRecipient(21408));
    }

    [Fact]
    public void An_unreachable_handset_is_worth_a_later_attempt_but_a_landline_is_not()
    {
        Assert.True(TwilioErrorCodes.IsRetryableDeliveryError(30003));
        Assert.False(TwilioErrorCodes.IsRetryableDeliveryError(30006));
        Assert.False(TwilioErrorCodes.IsRetryableDeliveryError(30007));
    }
}
