using SmsRemarketing.Data.Clients;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary>
/// A new client's home country when the operator gives none: the country of its IANA time zone in the system's
/// <c>zone.tab</c> (one country per zone: America/New_York → US, Europe/London → GB), else
/// <see cref="DestinationSettings.DefaultHomeCountry"/> (UTC, <c>Etc/*</c>, a link name zone.tab does not list, or
/// a host without tzdata). zone1970.tab is not used: it lists several countries for a zone.
/// </summary>
internal static class HomeCountries
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> ByZone = new(Load);

    public static string FromTimeZone(string? timezone) =>
        timezone is not null && ByZone.Value.TryGetValue(timezone.Trim(), out var country) ? country : DestinationSettings.DefaultHomeCountry;

    private static Dictionary<string, string> Load()
    {
        var zones = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = Path.Combine(Environment.GetEnvironmentVariable("TZDIR") ?? "/usr/share/zoneinfo", "zone.tab");
        if (!File.Exists(path))
        {
            return zones;
        }

        // Lines: country code, coordinates, zone name, optional comment; '#' starts a comment line.
        foreach (var line in File.ReadLines(path))
        {
            var columns = line.Split('\t');
            if (!line.StartsWith('#') && columns.Length >= 3)
            {
                zones[columns[2]] = columns[0];
            }
        }

        return zones;
    }
}
