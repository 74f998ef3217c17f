using System.Globalization;
using System.Text.RegularExpressions;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>
/// ISO 8601 dates and date-times (<c>2025-03-01</c>, <c>2025-03-01T09:30:00Z</c>, <c>2025-03-01T09:30+02:00</c>), read
/// the same way from a filter's value (here) and from a lead's custom field (in SQL). Without an offset they are UTC,
/// whatever the session's time zone.
/// </summary>
internal static partial class IsoInstant
{
    /// <summary>
    /// Written without braces (EF's FromSqlRaw formats the SQL it is given) and tight enough that every text it
    /// matches but a day past its month's end casts without error: PostgreSQL 15 has no pg_input_is_valid, and one
    /// lead's "2025-13-45" must not fail a tenant's whole query.
    /// </summary>
    private const string Pattern =
        @"^[1-9][0-9][0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-](0[0-9]|1[0-5])(:?[0-5][0-9])?)?)?$";

    public static bool TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        return Iso().IsMatch(text) && !text.EndsWith('\n')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);
    }

    /// <summary>
    /// A timestamptz SQL expression of <paramref name="text"/> (a SQL text expression), null when it is not such a date.
    /// Nested CASEs, not AND, because only CASE fixes the order of evaluation: the day is checked against its month
    /// (30 February) only once the shape is known, and the cast only after both.
    /// </summary>
    public static string Sql(string text) => $"""
        CASE WHEN {text} ~ '{Pattern}' THEN
          CASE WHEN substr({text}, 9, 2)::int <= extract(day from make_date(substr({text}, 1, 4)::int, substr({text}, 6, 2)::int, 1) + interval '1 month' - interval '1 day') THEN
            CASE WHEN {text} ~ '[T ].*[Z+-]' THEN ({text})::timestamptz ELSE ({text})::timestamp AT TIME ZONE 'UTC' END
          END
        END
        """;

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Iso();
}
