using SmsRemarketing.Data.Clients;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Tests.Delivery;

/// <summary>libphonenumber's country and type of a number, and the client's destination rules over them.</summary>
public sealed class DestinationPolicyTests
{
    private static readonly DestinationPolicy UsClient = new("US", [], DestinationSettings.DefaultDeniedNumberTypes(), null, null);

    [Theory]
    [InlineData("+14155550100", "US", "fixed_line_or_mobile")]
    [InlineData("+19002345678", "US", "premium_rate")]
    [InlineData("+80012345678", "001", "toll_free")]
    [InlineData("+442071838750", "GB", "fixed_line")]
    [InlineData("+447911123456", "GG", "mobile")]
    public void ANumberHasTheCountryAndTypeLibphonenumberGivesIt(string phone, string country, string type) =>
        Assert.Equal(new Destination(country, type), DestinationPolicy.Of(phone));

    [Theory]
    [InlineData("+14155550100", null)]
    [InlineData("+19002345678", DestinationPolicy.NumberTypeDenied)]
    [InlineData("+80012345678", DestinationPolicy.NumberTypeDenied)]
    [InlineData("+442071838750", DestinationPolicy.CountryNotAllowed)]
    public void AUsClientByDefaultTextsOnlyOrdinaryUsNumbers(string phone, string? rule) =>
        Assert.Equal(rule, UsClient.Check(phone)?.Rule);

    [Fact]
    public void AnAllowedCountryIsTextedAndItsDeniedTypesStillAreNot()
    {
        var widened = UsClient with { AllowedCountries = ["GB"] };

        Assert.Null(widened.Check("+442071838750"));
        Assert.Equal(DestinationPolicy.NumberTypeDenied, widened.Check("+449012345678")?.Rule); // UK 09: premium rate
    }

    [Fact]
    public void ANonGeographicNumberIsDeniedByItsTypeWhenNonGeographicIsLifted()
    {
        var tollFreeDenied = UsClient with { DeniedNumberTypes = ["toll_free"] };

        Assert.Equal(DestinationPolicy.NumberTypeDenied, tollFreeDenied.Check("+80012345678")?.Rule);
    }

    [Theory]
    [InlineData("gb", "GB")]
    [InlineData(" US ", "US")]
    [InlineData("XX", null)]
    [InlineData("GBR", null)]
    [InlineData("001", null)]
    [InlineData("", null)]
    public void OnlyIsoAlpha2CountriesLibphonenumberKnowsAreCountries(string code, string? expected) =>
        Assert.Equal(expected, DestinationPolicy.Country(code));

    [Fact]
    public void ADailyCapRefusesTheMessageThatWouldPassItAndSaysWhenItResets()
    {
        var resets = new DateTimeOffset(2026, 6, 11, 4, 0, 0, TimeSpan.Zero);
        var spent = new DailySpend(messages: 2, credits: 4, resets);

        Assert.Equal(DestinationPolicy.DailyMessageCapRule, spent.Refusal(UsClient with { DailyMessageCap = 2 }, 1)?.Rule);
        Assert.Null(spent.Refusal(UsClient with { DailyMessageCap = 3 }, 1));
        Assert.Equal(DestinationPolicy.DailyCreditCapRule, spent.Refusal(UsClient with { DailyCreditCap = 5 }, 2)?.Rule);
        Assert.Null(spent.Refusal(UsClient with { DailyCreditCap = 5 }, 1));
        Assert.Contains("2026-06-11T04:00:00Z", spent.Refusal(UsClient with { DailyMessageCap = 1 }, 1)?.Detail, StringComparison.Ordinal);
    }
}
