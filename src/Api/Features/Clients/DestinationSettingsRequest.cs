using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary>
/// A client's destinations and daily caps, on create and on PATCH (absent or null: unchanged). Countries are ISO
/// 3166-1 alpha-2 (any case); <c>allowed_countries</c> and <c>denied_number_types</c> replace the whole list
/// (<c>[]</c>: none); a cap of <c>0</c> removes it (a client that must send nothing is deactivated instead).
/// </summary>
internal static class DestinationSettingsRequest
{
    public static void Validate(
        ValidationErrors errors, string? homeCountry, IReadOnlyList<string?>? allowedCountries, IReadOnlyList<string?>? deniedNumberTypes,
        int? dailyMessageCap, long? dailyCreditCap)
    {
        if (homeCountry is not null && DestinationPolicy.Country(homeCountry) is null)
        {
            errors.Add("home_country", $"'{homeCountry}' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB).");
        }

        if (allowedCountries is not null)
        {
            if (allowedCountries.Count > DestinationSettings.MaxAllowedCountries)
            {
                errors.Add("allowed_countries", $"At most {DestinationSettings.MaxAllowedCountries} countries.");
            }

            for (var i = 0; i < allowedCountries.Count; i++)
            {
                if (DestinationPolicy.Country(allowedCountries[i]) is null)
                {
                    errors.Add($"allowed_countries[{i}]", $"'{allowedCountries[i]}' is not an ISO 3166-1 alpha-2 country code (e.g. US, GB).");
                }
            }
        }

        if (deniedNumberTypes is not null)
        {
            for (var i = 0; i < deniedNumberTypes.Count; i++)
            {
                if (deniedNumberTypes[i] is not { } type || !DestinationSettings.NumberTypes.Contains(type.Trim(), StringComparer.Ordinal))
                {
                    errors.Add($"denied_number_types[{i}]", $"'{deniedNumberTypes[i]}' is not a number type; one of {string.Join(", ", DestinationSettings.NumberTypes)}.");
                }
            }
        }

        if (dailyMessageCap < 0)
        {
            errors.Add("daily_message_cap", "At least 0 (0 removes the cap).");
        }

        if (dailyCreditCap < 0)
        {
            errors.Add("daily_credit_cap", "At least 0 (0 removes the cap).");
        }
    }

    /// <summary>Applies the fields given; call after <see cref="Validate"/> found no error.</summary>
    public static void Apply(
        Client client, string? homeCountry, IReadOnlyList<string?>? allowedCountries, IReadOnlyList<string?>? deniedNumberTypes,
        int? dailyMessageCap, long? dailyCreditCap)
    {
        client.HomeCountry = homeCountry is null ? client.HomeCountry : DestinationPolicy.Country(homeCountry)!;
        client.AllowedCountries = allowedCountries is null
            ? client.AllowedCountries
            : [.. allowedCountries.Select(c => DestinationPolicy.Country(c)!).Where(c => c != client.HomeCountry).Distinct().Order(StringComparer.Ordinal)];
        client.DeniedNumberTypes = deniedNumberTypes is null
            ? client.DeniedNumberTypes
            : [.. deniedNumberTypes.Select(t => t!.Trim()).Distinct().Order(StringComparer.Ordinal)];
        client.DailyMessageCap = dailyMessageCap is null ? client.DailyMessageCap : dailyMessageCap == 0 ? null : dailyMessageCap;
        client.DailyCreditCap = dailyCreditCap is null ? client.DailyCreditCap : dailyCreditCap == 0 ? null : dailyCreditCap;
    }
}
