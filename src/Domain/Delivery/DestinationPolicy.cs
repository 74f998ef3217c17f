using System.Collections.Concurrent;
using SmsRemarketing.Data.Clients;
using NumberParseException = global::PhoneNumbers.NumberParseException;
using PhoneNumberUtil = global::PhoneNumbers.PhoneNumberUtil;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// Where a client may text and how much it may spend a day: its home country and the countries the operator added,
/// the number types it never texts (as libphonenumber classifies them), and its daily caps. Part of
/// <see cref="SendEligibility"/>, and checked on its own where a lead is created (a denied number type creates nothing).
/// </summary>
public sealed record DestinationPolicy(
    string HomeCountry, IReadOnlyCollection<string> AllowedCountries, IReadOnlyCollection<string> DeniedNumberTypes,
    int? DailyMessageCap, long? DailyCreditCap)
{
    public const string CountryNotAllowed = "destination.country_not_allowed";
    public const string NumberTypeDenied = "destination.number_type_denied";
    public const string NoPrice = "destination.no_price";
    public const string DailyMessageCapRule = "spend.daily_message_cap";
    public const string DailyCreditCapRule = "spend.daily_credit_cap";

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    // A number's country and type never change; the cache is emptied past a bound (as RecipientTimeZone's).
    private const int CacheLimit = 50_000;
    private static readonly ConcurrentDictionary<string, Destination> ByPhone = new(StringComparer.Ordinal);

    public bool HasDailyCap => DailyMessageCap is not null || DailyCreditCap is not null;

    public static DestinationPolicy Of(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client.HomeCountry, client.AllowedCountries, client.DeniedNumberTypes, client.DailyMessageCap, client.DailyCreditCap);
    }

    /// <summary>
    /// <paramref name="code"/> as an ISO 3166-1 alpha-2 code in upper case when libphonenumber knows it as a country
    /// (its supported regions: the codes a number can be in); null when it is not one.
    /// </summary>
    public static string? Country(string? code)
    {
        var upper = code?.Trim().ToUpperInvariant();
        return upper is { Length: 2 } && upper.All(char.IsAsciiLetterUpper) && Util.GetSupportedRegions().Contains(upper) ? upper : null;
    }

    /// <summary>Whether <paramref name="country"/> is the home country or one the operator allowed.</summary>
    public bool Allows(string country) =>
        string.Equals(country, HomeCountry, StringComparison.Ordinal) || AllowedCountries.Contains(country, StringComparer.Ordinal);

    /// <summary>The refusal of a number the client may not text (its type first, then its country); null when it may.</summary>
    public DestinationRefusal? Check(string phone)
    {
        if (CheckNumberType(DeniedNumberTypes, phone) is { } denied)
        {
            return denied;
        }

        var destination = Of(phone);
        return Allows(destination.Country)
            ? null
            : new DestinationRefusal(CountryNotAllowed,
                $"{CountryNotAllowed}: {phone} is in {destination.Country}; this client may text {Describe()} (the operator allows more countries).",
                destination);
    }

    /// <summary>The refusal of a number whose type is in <paramref name="denied"/>; null when it is not.</summary>
    public static DestinationRefusal? CheckNumberType(IReadOnlyCollection<string> denied, string phone)
    {
        ArgumentNullException.ThrowIfNull(denied);
        var destination = Of(phone);
        var type = destination.Country == NonGeographicRegion ? DestinationSettings.NonGeographic : destination.NumberType;
        if (denied.Contains(type, StringComparer.Ordinal))
        {
            return new DestinationRefusal(NumberTypeDenied, $"{NumberTypeDenied}: {phone} is a {type.Replace('_', ' ')} number, which this client may not text.", destination);
        }

        // A non-geographic number is also a toll-free or premium one: the deny list may name either.
        return destination.Country == NonGeographicRegion && denied.Contains(destination.NumberType, StringComparer.Ordinal)
            ? new DestinationRefusal(NumberTypeDenied, $"{NumberTypeDenied}: {phone} is a {destination.NumberType.Replace('_', ' ')} number, which this client may not text.", destination)
            : null;
    }

    /// <summary>libphonenumber's region of a non-geographic entity (+800, +808, +870, +881, +882, +883, +888, +979).</summary>
    public const string NonGeographicRegion = "001";

    /// <summary>The country (region, <c>001</c> for none, <c>ZZ</c> when unknown) and type of an E.164 number.</summary>
    public static Destination Of(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        if (ByPhone.TryGetValue(phone, out var known))
        {
            return known;
        }

        Destination destination;
        try
        {
            var number = Util.Parse(phone, null);
            destination = new Destination(Util.GetRegionCodeForNumber(number) ?? "ZZ", Util.GetNumberType(number).ToString().ToLowerInvariant());
        }
        catch (NumberParseException)
        {
            destination = new Destination("ZZ", "unknown");
        }

        if (ByPhone.Count >= CacheLimit)
        {
            ByPhone.Clear();
        }

        ByPhone[phone] = destination;
        return destination;
    }

    private string Describe() => AllowedCountries.Count == 0
        ? $"only its home country {HomeCountry}"
        : $"{HomeCountry} (home), {string.Join(", ", AllowedCountries)}";
}

/// <summary>A number's country (ISO 3166-1 alpha-2, or <c>001</c>) and libphonenumber type (snake_case).</summary>
public sealed record Destination(string Country, string NumberType);

/// <summary>Why a number may not be texted: the rule (<see cref="DestinationPolicy.CountryNotAllowed"/>…) and a sentence naming it.</summary>
public sealed record DestinationRefusal(string Rule, string Detail, Destination Destination);
