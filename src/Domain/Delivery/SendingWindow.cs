using SmsRemarketing.Domain.Triggers;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// A daily window of local time, [<see cref="Start"/>, <see cref="End"/>), in which SMS may go out. A start after
/// the end is a window across midnight (22:00–06:00 allows the night). Computed on the zone's wall clock through
/// <see cref="TimeZoneInfo"/>, so DST days are as long as they really are.
/// </summary>
public readonly record struct SendingWindow(TimeOnly Start, TimeOnly End)
{
    public bool Contains(TimeOnly local) =>
        Start < End ? local >= Start && local < End : local >= Start || local < End;

    /// <summary>Null when <paramref name="now"/> is inside the window; else the instant it next opens.</summary>
    public DateTimeOffset? NextOpening(DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        if (Contains(TimeOnly.FromDateTime(local)))
        {
            return null;
        }

        var opening = local.Date + Start.ToTimeSpan();
        if (opening <= local)
        {
            opening = opening.AddDays(1);
        }

        // A start DST skips (02:30 on a spring-forward day) opens at the first valid local time after it.
        return LocalDates.Instant(opening, zone);
    }
}
