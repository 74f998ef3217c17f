using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Tests.Delivery;

public sealed class SendingWindowTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly SendingWindow Day = new(new TimeOnly(8, 0), new TimeOnly(21, 0));

    [Theory]
    [InlineData("2026-06-15T05:59:00Z", "2026-06-15T06:00:00Z")] // 07:59 CEST: opens at 08:00 the same day
    [InlineData("2026-06-15T06:00:00Z", null)]                    // 08:00 CEST: open (start inclusive)
    [InlineData("2026-06-15T18:59:59Z", null)]                    // 20:59:59 CEST
    [InlineData("2026-06-15T19:00:00Z", "2026-06-16T06:00:00Z")] // 21:00 CEST: closed (end exclusive), opens tomorrow
    [InlineData("2026-12-15T22:00:00Z", "2026-12-16T07:00:00Z")] // 23:00 CET (winter, UTC+1)
    public void ADayWindowOpensAtTheNextLocalStart(string now, string? opening)
    {
        var next = Day.NextOpening(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Berlin);

        Assert.Equal(opening is null ? null : DateTimeOffset.Parse(opening, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Theory]
    [InlineData("2026-06-15T21:00:00Z", null)]                    // 23:00 CEST: inside 22:00–06:00
    [InlineData("2026-06-15T03:00:00Z", null)]                    // 05:00 CEST: inside, after midnight
    [InlineData("2026-06-15T10:00:00Z", "2026-06-15T20:00:00Z")] // 12:00 CEST: opens at 22:00 today
    public void AWindowAcrossMidnightIsOpenAtNight(string now, string? opening)
    {
        var night = new SendingWindow(new TimeOnly(22, 0), new TimeOnly(6, 0));

        var next = night.NextOpening(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Berlin);

        Assert.Equal(opening is null ? null : DateTimeOffset.Parse(opening, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void TheOpeningFollowsADaylightSavingChangeOvernight()
    {
        // New York springs forward on 2026-03-08 at 02:00: 22:00 EST on the 7th is 03:00Z, 08:00 EDT on the 8th is 12:00Z.
        var next = Day.NextOpening(new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.Zero), NewYork);

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void AnOpeningDaylightSavingSkipsMovesToTheFirstValidLocalTime()
    {
        var halfPastTwo = new SendingWindow(new TimeOnly(2, 30), new TimeOnly(21, 0));

        // 01:00 EST on 2026-03-08; 02:30 does not exist that day, so the window opens at 03:00 EDT (07:00Z).
        var next = halfPastTwo.NextOpening(new DateTimeOffset(2026, 3, 8, 6, 0, 0, TimeSpan.Zero), NewYork);

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), next);
    }
}
