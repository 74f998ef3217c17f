using System.Text.Json;
using Npgsql;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>
/// A segment's filter, parsed and checked: a tree of <c>{"all": [..]}</c>, <c>{"any": [..]}</c>, <c>{"not": {..}}</c>
/// (at most <see cref="MaxDepth"/> levels) over conditions <c>{"field", "op", "value"}</c> (at most
/// <see cref="MaxConditions"/>). It is evaluated by PostgreSQL (<see cref="ToSql"/>), never over leads in memory.
/// </summary>
public sealed class SegmentFilter
{
    public const int MaxDepth = 4;
    public const int MaxConditions = 20;

    private readonly SegmentNode _root;

    private SegmentFilter(SegmentNode root) => _root = root;

    /// <summary>
    /// The filter in <paramref name="json"/>, or null with an error per bad part in <paramref name="errors"/>, keyed by
    /// its path from <paramref name="path"/> (<c>filter.all[1].op</c>, <c>filter.any[0].value</c>).
    /// </summary>
    public static SegmentFilter? Parse(JsonElement json, FieldErrors errors, string path = "filter")
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new SegmentParser(errors, path).Parse(json) is { } root ? new SegmentFilter(root) : null;
    }

    /// <summary>A filter as stored by <see cref="ToJson"/>; a stored filter that no longer parses is a fault, not a 400.</summary>
    public static SegmentFilter FromStored(JsonElement stored)
    {
        var errors = new FieldErrors();
        return Parse(stored, errors) ?? throw new InvalidOperationException(
            "A stored segment filter no longer parses: " + string.Join("; ", errors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
    }

    /// <summary>The filter as stored (jsonb) and answered: every condition with its value (<c>exists</c> with true or false).</summary>
    public JsonElement ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            _root.Write(json);
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    /// <summary>
    /// A boolean SQL expression, never NULL, over the leads table aliased <paramref name="leadAlias"/>, with its values
    /// as the returned parameters named <c>@{parameterPrefix}0</c>, <c>@{parameterPrefix}1</c>…: two filters (an include and an
    /// exclude) with different prefixes go in one statement. It is the filter alone: the caller adds
    /// <c>client_id</c> and <see cref="Segments.MembershipSql"/>. <paramref name="now"/> anchors <c>older_than_days</c>
    /// and <c>newer_than_days</c> (the database's <c>now()</c> when null). New parameters on every call: an
    /// NpgsqlParameter belongs to one command.
    /// </summary>
    public (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) ToSql(string leadAlias, string parameterPrefix, DateTimeOffset? now = null)
    {
        var writer = new SegmentSqlWriter(leadAlias, parameterPrefix, now);
        var sql = _root.ToSql(writer);
        return (sql, writer.Parameters);
    }

    public override string ToString() => ToJson().GetRawText();
}
