using SmsRemarketing.Data.Clients;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Tests.Delivery;

public sealed class FrequencyCapTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly FrequencyCapRule[] Default = [new(1, 24), new(3, 168)];

    [Fact]
    public void WithNoRecentSendTheCapAllowsOneNow() =>
        Assert.Null(FrequencyCap.AllowedFrom(Default, [Now.AddHours(-25)], Now));

    [Fact]
    public void ASendInTheLastDayDefersToADayAfterIt() =>
        Assert.Equal(Now.AddHours(14), FrequencyCap.AllowedFrom(Default, [Now.AddHours(-10)], Now));

    [Fact]
    public void ThreeSendsThisWeekDeferUntilTheOldestLeavesTheWeek()
    {
        var sends = new[] { Now.AddDays(-6), Now.AddDays(-4), Now.AddDays(-2) };

        Assert.Equal(Now.AddDays(1), FrequencyCap.AllowedFrom(Default, sends, Now));
    }

    [Fact]
    public void BothRulesAreHeldTheLaterReleaseWins()
    {
        var sends = new[] { Now.AddDays(-6), Now.AddDays(-4), Now.AddHours(-1) };

        // the day rule frees at +23 h, the week rule only at +24 h (6 days ago + 7 days)
        Assert.Equal(Now.AddDays(1), FrequencyCap.AllowedFrom(Default, sends, Now));
    }
}
