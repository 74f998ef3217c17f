using System.Text.Json;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>A node of a parsed filter: it writes itself back as JSON and as a boolean SQL expression that is never NULL.</summary>
internal abstract record SegmentNode
{
    public abstract void Write(Utf8JsonWriter json);

    /// <summary>
    /// True or false for every lead, never NULL, so that <c>not</c> is the complement of what it wraps. Where an index
    /// could serve the condition, that is "x IS NOT NULL AND x op @p" rather than coalesce(…): the planner matches an
    /// index to the bare operator only.
    /// </summary>
    public abstract string ToSql(SegmentSqlWriter sql);
}

/// <summary><c>{"all": [..]}</c> (every child) or <c>{"any": [..]}</c> (at least one).</summary>
internal sealed record SegmentGroup(bool All, IReadOnlyList<SegmentNode> Children) : SegmentNode
{
    public override void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray(All ? "all" : "any");
        foreach (var child in Children)
        {
            child.Write(json);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public override string ToSql(SegmentSqlWriter sql) =>
        "(" + string.Join(All ? " AND " : " OR ", Children.Select(c => c.ToSql(sql))) + ")";
}

/// <summary><c>{"not": {..}}</c></summary>
internal sealed record SegmentNot(SegmentNode Child) : SegmentNode
{
    public override void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WritePropertyName("not");
        Child.Write(json);
        json.WriteEndObject();
    }

    public override string ToSql(SegmentSqlWriter sql) => $"(NOT {Child.ToSql(sql)})";
}
