using SmsRemarketing.Domain.Templates;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>What a segment condition can read of a lead, which decides the operators and values it accepts.</summary>
internal enum SegmentFieldKind
{
    Text,
    Phone,
    Timestamp,
    Custom,
}

/// <summary>
/// A field a segment condition names: a lead column (its SQL name fixed here, never taken from the request) or a
/// top-level key of <c>custom_fields</c> (bound as a parameter, never written into the SQL).
/// </summary>
internal sealed record SegmentField(string Name, SegmentFieldKind Kind, string? Column, string? CustomKey)
{
    public const string CustomPrefix = "custom_fields.";

    private static readonly Dictionary<string, SegmentField> Columns = new SegmentField[]
    {
        new("first_name", SegmentFieldKind.Text, "first_name", null),
        new("last_name", SegmentFieldKind.Text, "last_name", null),
        new("email", SegmentFieldKind.Text, "email", null),
        new("phone", SegmentFieldKind.Phone, "phone", null),
        new("timezone", SegmentFieldKind.Text, "timezone", null),
        new("locale", SegmentFieldKind.Text, "locale", null),
        new("created_at", SegmentFieldKind.Timestamp, "created_at", null),
        new("consent_at", SegmentFieldKind.Timestamp, "consent_at", null),
        new("consent_source", SegmentFieldKind.Text, "consent_source", null),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static string Names => string.Join(", ", Columns.Keys) + $", {CustomPrefix}<key>";

    /// <summary>
    /// The field named <paramref name="name"/>; null when unknown. A custom field's key must be one a template can read
    /// (letters, digits and '_'): the key is a parameter either way, so this is what a tenant can mean, not a defence.
    /// </summary>
    public static SegmentField? Find(string name)
    {
        if (Columns.TryGetValue(name, out var column))
        {
            return column;
        }

        if (name.StartsWith(CustomPrefix, StringComparison.Ordinal) && TemplateRenderer.IsValidName(name[CustomPrefix.Length..]))
        {
            return new SegmentField(name, SegmentFieldKind.Custom, null, name[CustomPrefix.Length..]);
        }

        return null;
    }
}
