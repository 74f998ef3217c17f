namespace SmsRemarketing.Domain.Triggers;

/// <summary>Calendar days of a client's time zone (IANA ids; .NET resolves them on Linux and, with ICU, on Windows).</summary>
public static class LocalDates
{
    public static TimeZoneInfo Zone(string? ianaId)
    {
        if (string.IsNullOrWhiteSpace(ianaId))
        {
            return TimeZoneInfo.Utc;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : TimeZoneInfo.Utc;
    }

    public static DateOnly Today(DateTimeOffset now, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>The instant the local <paramref name="date"/> begins (the first valid local time, where DST skips midnight).</summary>
    public static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone) => Instant(date.ToDateTime(TimeOnly.MinValue), zone);

    /// <summary>
    /// The first instant the wall clock of <paramref name="zone"/> shows <paramref name="local"/>: a time DST skips
    /// moves forward to the first valid one, an ambiguous time (a fall-back) resolves to the earlier offset.
    /// </summary>
    public static DateTimeOffset Instant(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>[start, end) in UTC of the local <paramref name="date"/>.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) UtcRange(DateOnly date, TimeZoneInfo zone) =>
        (StartOf(date, zone), StartOf(date.AddDays(1), zone));
}
