using System.Collections.Concurrent;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Triggers;
using PhoneNumberToTimeZonesMapper = global::PhoneNumbers.PhoneNumberToTimeZonesMapper;
using PhoneNumberUtil = global::PhoneNumbers.PhoneNumberUtil;
using NumberParseException = global::PhoneNumbers.NumberParseException;

namespace SmsRemarketing.Domain.Delivery;

/// <summary>
/// The time zone a lead reads its SMS in. The number decides first: when libphonenumber maps it to exactly one zone
/// (+49 → Europe/Berlin, +1 212 → America/New_York), that zone, whatever the lead declares. A number that spans several
/// (a toll-free +1 800, a Russian mobile) allows only those: the lead's own <see cref="Lead.Timezone"/> if it is one of
/// them, else the client's if it is, else the first of them (a tenant cannot move a number out of its zones, so it
/// cannot text it at 03:00 by declaring Kiritimati). A number libphonenumber places nowhere allows any zone: the
/// lead's, else the client's. <c>LeadCreation</c> refuses a declared zone outside the number's, so the fallbacks
/// here serve leads stored before that check.
/// </summary>
public static class RecipientTimeZone
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper Mapper = PhoneNumberToTimeZonesMapper.GetInstance();

    // Numbers repeat (every automated send to a lead asks again) and the mapping of a number never changes; the cache
    // is emptied past a bound rather than kept per lead forever.
    private const int CacheLimit = 50_000;
    private static readonly ConcurrentDictionary<string, string[]> ZonesByPhone = new(StringComparer.Ordinal);

    public static (TimeZoneInfo Zone, string Source) Of(Lead lead, Client client)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(client);
        return Of(lead.Timezone, lead.Phone, client.Timezone);
    }

    public static (TimeZoneInfo Zone, string Source) Of(string? leadTimezone, string phone, string clientTimezone)
    {
        var allowed = ZonesOf(phone);
        if (allowed.Count == 1)
        {
            return (LocalDates.Zone(allowed[0]), "phone");
        }

        if (Find(leadTimezone) is { } own && Allows(allowed, leadTimezone!))
        {
            return (own, "lead");
        }

        if (allowed.Count == 0 || Allows(allowed, clientTimezone))
        {
            return (LocalDates.Zone(clientTimezone), "client");
        }

        return (LocalDates.Zone(allowed[0]), "phone");
    }

    /// <summary>True when <paramref name="timezone"/> is one the number <paramref name="phone"/> may be in (any, for a number placed nowhere).</summary>
    public static bool Allows(string phone, string timezone) => Allows(ZonesOf(phone), timezone);

    /// <summary>
    /// The IANA zones libphonenumber places an E.164 number in, those this system knows, in its order; empty when it
    /// places it nowhere (or the text does not parse).
    /// </summary>
    public static IReadOnlyList<string> ZonesOf(string phone)
    {
        if (ZonesByPhone.Count > CacheLimit)
        {
            ZonesByPhone.Clear();
        }

        return ZonesByPhone.GetOrAdd(phone, Lookup);
    }

    private static bool Allows(IReadOnlyList<string> allowed, string timezone) =>
        allowed.Count == 0 || allowed.Contains(timezone.Trim(), StringComparer.OrdinalIgnoreCase);

    private static string[] Lookup(string e164)
    {
        try
        {
            return [.. Mapper.GetTimeZonesForNumber(Util.Parse(e164, null))
                .Where(zone => zone != Mapper.GetUnknownTimeZone() && Find(zone) is not null)];
        }
        catch (NumberParseException)
        {
            return [];
        }
    }

    private static TimeZoneInfo? Find(string? ianaId) =>
        !string.IsNullOrWhiteSpace(ianaId) && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId.Trim(), out var zone) ? zone : null;
}
