using System.Text.Json;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Leads;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>How a lead is validated and created, shared by <c>POST /leads</c> and a webhook trigger that creates its lead.</summary>
internal static class LeadWrites
{
    public const string PhoneIndex = "ix_leads_client_id_phone";

    /// <summary>Validates the fields of a lead and returns the phone in E.164 (null when absent or invalid).</summary>
    public static string? Validate(
        ValidationErrors errors, string? phone, string? region, string? firstName, string? lastName, string? email,
        JsonElement? customFields, string? timezone, string? locale, int maxCustomFieldsBytes, bool phoneRequired)
    {
        string? e164 = null;
        if (phone is not null || phoneRequired)
        {
            var normalized = PhoneNumberNormalizer.Normalize(phone, FieldRules.Clean(region));
            if (normalized.IsValid)
            {
                e164 = normalized.E164;
            }
            else
            {
                errors.Add("phone", normalized.Error!);
            }
        }

        errors.Text("first_name", firstName, 100);
        errors.Text("last_name", lastName, 100);
        errors.Email("email", email);
        errors.JsonObject("custom_fields", customFields, maxCustomFieldsBytes);
        errors.TimeZone("timezone", timezone);
        errors.Locale("locale", locale);
        return e164;
    }

    /// <summary>Adds the lead and its <see cref="LeadCreated"/> event to the unit of work: they commit together.</summary>
    public static Lead Add(
        SmsDbContext db, Guid clientId, string e164, string? firstName, string? lastName, string? email,
        JsonElement? customFields, string? timezone, string? locale, DateTimeOffset now)
    {
        var lead = new Lead
        {
            ClientId = clientId,
            Phone = e164,
            FirstName = FieldRules.Clean(firstName),
            LastName = FieldRules.Clean(lastName),
            Email = FieldRules.Clean(email),
            Timezone = FieldRules.Clean(timezone),
            Locale = FieldRules.Clean(locale),
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (customFields is { ValueKind: JsonValueKind.Object } fields)
        {
            lead.CustomFields = fields.Clone();
        }

        db.Leads.Add(lead);
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
        return lead;
    }
}
