using System.Text.Json;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Domain.Templates;

/// <summary>
/// The values a template sees for a lead. Per-call variables win over the lead's own fields, which win over its
/// <c>custom_fields</c> (top-level scalars only, as text; objects and arrays have no text form).
/// </summary>
public static class TemplateVariables
{
    public static Func<string, string?> For(Lead? lead, IReadOnlyDictionary<string, string?>? variables)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (lead is not null)
        {
            if (lead.CustomFields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in lead.CustomFields.EnumerateObject())
                {
                    values[field.Name] = AsText(field.Value);
                }
            }

            Set(values, "first_name", lead.FirstName);
            Set(values, "last_name", lead.LastName);
            Set(values, "phone", lead.Phone);
            Set(values, "email", lead.Email);
            Set(values, "timezone", lead.Timezone);
            Set(values, "locale", lead.Locale);
        }

        if (variables is not null)
        {
            foreach (var (name, value) in variables)
            {
                Set(values, name, value);
            }
        }

        return name => values.GetValueOrDefault(name);
    }

    private static void Set(Dictionary<string, string?> values, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            values[name] = value;
        }
    }

    private static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
