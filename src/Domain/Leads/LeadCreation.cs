using System.Text.Json;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Delivery;
using SmsRemarketing.Domain.Validation;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Domain.Leads;

/// <summary>
/// How a lead is checked and created, wherever it comes from: <c>POST /leads</c>, a webhook trigger that creates its
/// lead, and a <see cref="LeadCreated"/> another system published.
/// </summary>
public static class LeadCreation
{
    /// <summary>Phones are unique per client; an insert that loses a race to another fails on this index.</summary>
    public const string PhoneIndex = "ix_leads_client_id_phone";

    /// <summary>The largest <c>custom_fields</c> object, in bytes of JSON, unless a host configures another.</summary>
    public const int DefaultMaxCustomFieldsBytes = 8 * 1024;

    /// <summary>
    /// Checks a lead's fields into <paramref name="errors"/> and returns the phone in E.164 (null when absent or
    /// invalid). <paramref name="region"/> (ISO 3166-1 alpha-2) reads a phone in national format.
    /// </summary>
    public static string? Validate(
        FieldErrors errors, string? phone, string? region, LeadFields fields, int maxCustomFieldsBytes, bool phoneRequired)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(fields);
        string? e164 = null;
        if (phone is not null || phoneRequired)
        {
            var normalized = PhoneNumberNormalizer.Normalize(phone, FieldText.Clean(region));
            if (normalized.IsValid)
            {
                e164 = normalized.E164;
            }
            else
            {
                errors.Add("phone", normalized.Error!);
            }
        }

        errors.Text("first_name", fields.FirstName, 100);
        errors.Text("last_name", fields.LastName, 100);
        errors.Email("email", fields.Email);
        errors.JsonObject("custom_fields", fields.CustomFields, maxCustomFieldsBytes);
        errors.TimeZone("timezone", fields.Timezone);
        errors.Locale("locale", fields.Locale);
        if (e164 is not null && errors.IsValid)
        {
            CheckZone(errors, e164, fields.Timezone);
        }

        return e164;
    }

    /// <summary>
    /// Refuses (as unprocessable, naming <c>timezone</c> and the zones allowed) a declared zone the number is not in: a
    /// lead's zone only chooses among its number's (<see cref="RecipientTimeZone"/>). For a lead updated, call it with
    /// the phone and zone it will have.
    /// </summary>
    public static void CheckZone(FieldErrors errors, string e164, string? timezone)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(timezone) || RecipientTimeZone.Allows(e164, timezone))
        {
            return;
        }

        var zones = RecipientTimeZone.ZonesOf(e164);
        errors.AddUnprocessable("timezone", zones.Count == 1
            ? $"The number {e164} is in {zones[0]}; a lead's timezone can only choose among its number's zones (omit it)."
            : $"The number {e164} is in one of {string.Join(", ", zones)}; a lead's timezone can only be one of them.");
    }

    /// <summary>
    /// Why the client may not have a lead with <paramref name="e164"/>: its number type is one the client never texts
    /// (premium rate, non-geographic…), so a bot filling a form with such numbers creates nothing. Null: it may. The
    /// country is not checked here: a lead abroad is kept, and refused at send until the operator allows its country.
    /// </summary>
    public static DestinationRefusal? DeniedDestination(IReadOnlyCollection<string> deniedNumberTypes, string? e164) =>
        e164 is null ? null : DestinationPolicy.CheckNumberType(deniedNumberTypes, e164);

    /// <summary>
    /// Adds the lead (validated by <see cref="Validate"/>) to the unit of work, and with <paramref name="announce"/> its
    /// <see cref="LeadCreated"/> event, so that they commit together. A lead created because of a LeadCreated is not announced again.
    /// </summary>
    public static Lead Add(SmsDbContext db, Guid clientId, string e164, LeadFields fields, DateTimeOffset now, bool announce = true)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(fields);
        var lead = new Lead
        {
            ClientId = clientId,
            Phone = e164,
            FirstName = FieldText.Clean(fields.FirstName),
            LastName = FieldText.Clean(fields.LastName),
            Email = FieldText.Clean(fields.Email),
            Timezone = FieldText.Clean(fields.Timezone),
            Locale = FieldText.Clean(fields.Locale),
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (fields.CustomFields is { ValueKind: JsonValueKind.Object } custom)
        {
            lead.CustomFields = custom.Clone();
        }

        db.Leads.Add(lead);
        if (announce)
        {
            db.AddOutboxMessage(new LeadCreated
            {
                ClientId = clientId,
                LeadId = lead.Id,
                Phone = lead.Phone,
                FirstName = lead.FirstName,
                LastName = lead.LastName,
                Email = lead.Email,
                CustomFields = lead.CustomFields.Deserialize<Dictionary<string, object?>>(),
                OccurredAt = now,
            });
        }

        return lead;
    }
}
