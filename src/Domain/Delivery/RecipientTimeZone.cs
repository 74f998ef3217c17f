using System.Collections.Concurrent;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Triggers;
using PhoneNumberToTimeZonesMapper = global::PhoneNumbers.PhoneNumberToTimeZonesMapper;
using PhoneNumberUtil = global::PhoneNumbers.PhoneNumberUtil;
using NumberParseException = global::PhoneNumbers.NumberParseException;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// The time zone a lead reads its SMS in: the lead's own (<see cref="Lead.Timezone"/>), else the one its number
/// implies when libphonenumber maps the number to exactly one zone (+49 → Europe/Berlin, +1 415 → America/Los_Angeles;
/// a toll-free +1 800 number or a Russian mobile spans many zones and implies none), else the client's.
/// </summary>
public static class RecipientTimeZone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper Mapper = PhoneNumberToTimeZonesMapper.GetInstance();

    // Numbers repeat (every automated send to a lead asks again) and the mapping of a number never changes; the cache
    // is emptied past a bound rather than kept per lead forever.
    private const int CacheLimit = 50_000;
    private static readonly ConcurrentDictionary<string, string?> ImpliedByPhone = new(StringComparer.Ordinal);

    public static (TimeZoneInfo Zone, string Source) Of(Lead lead, Client client)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(client);
        return Of(lead.Timezone, lead.Phone, client.Timezone);
    }

    public static (TimeZoneInfo Zone, string Source) Of(string? leadTimezone, string phone, string clientTimezone)
    {
        if (Find(leadTimezone) is { } own)
        {
            return (own, "lead");
        }

        if (Find(ImpliedBy(phone)) is { } implied)
        {
            return (implied, "phone");
        }

        return (LocalDates.Zone(clientTimezone), "client");
    }

    /// <summary>The IANA zone of an E.164 number when it implies exactly one; else null.</summary>
    public static string? ImpliedBy(string phone)
    {
        if (ImpliedByPhone.Count > CacheLimit)
        {
            ImpliedByPhone.Clear();
        }

        return ImpliedByPhone.GetOrAdd(phone, Lookup);
    }

    private static string? Lookup(string e164)
    {
        try
        {
            var zones = Mapper.GetTimeZonesForNumber(Util.Parse(e164, null));
            return zones.Count == 1 && zones[0] != Mapper.GetUnknownTimeZone() ? zones[0] : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    private static TimeZoneInfo? Find(string? ianaId) =>
        !string.IsNullOrWhiteSpace(ianaId) && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out var zone) ? zone : null;
}
