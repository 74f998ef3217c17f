using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NpgsqlTypes;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>
/// <c>{"field": F, "op": O, "value": V}</c>, checked by <see cref="SegmentParser"/>: <see cref="Value"/> is
/// of the type <see cref="Op"/> takes on <see cref="Field"/> (for <c>exists</c>, true or false).
/// </summary>
internal sealed record SegmentCondition(SegmentField Field, SegmentOperator Op, JsonElement Value) : SegmentNode
{
    public override void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("field", Field.Name);
        json.WriteString("op", SegmentOperators.Name(Op));
        json.WritePropertyName("value");
        Value.WriteTo(json);
        json.WriteEndObject();
    }

    public override string ToSql(SegmentSqlWriter sql) => Field.Kind switch
    {
        SegmentFieldKind.Custom => CustomSql(sql),
        SegmentFieldKind.Timestamp => TimestampSql(sql),
        _ => TextSql(sql),
    };

    private string TextSql(SegmentSqlWriter sql)
    {
        var column = sql.Column(Field.Column!);
        return Op switch
        {
            SegmentOperator.Eq => $"({column} IS NOT NULL AND {column} = {sql.Add(NpgsqlDbType.Text, Value.GetString()!)})",
            // A lead without the field is not equal to the value: ne is the complement of eq, as not(eq) is.
            SegmentOperator.Ne => $"({column} IS DISTINCT FROM {sql.Add(NpgsqlDbType.Text, Value.GetString()!)})",
            SegmentOperator.In => $"({column} IS NOT NULL AND {column} = ANY({sql.Add(NpgsqlDbType.Array | NpgsqlDbType.Text, Value.EnumerateArray().Select(v => v.GetString()!).ToArray())}))",
            SegmentOperator.Exists => Value.GetBoolean() ? $"({column} IS NOT NULL)" : $"({column} IS NULL)",
            SegmentOperator.Contains => $"coalesce(strpos(lower({column}), lower({sql.Add(NpgsqlDbType.Text, Value.GetString()!)})) > 0, false)",
            // A phone is E.164 ("+1415…"): no case to ignore.
            SegmentOperator.Prefix when Field.Kind == SegmentFieldKind.Phone => $"starts_with({column}, {sql.Add(NpgsqlDbType.Text, Value.GetString()!)})",
            SegmentOperator.Prefix => $"coalesce(starts_with(lower({column}), lower({sql.Add(NpgsqlDbType.Text, Value.GetString()!)})), false)",
            _ => throw new UnreachableException($"{Op} on a text field passed the parser."),
        };
    }

    private string TimestampSql(SegmentSqlWriter sql)
    {
        var column = sql.Column(Field.Column!);
        return Op switch
        {
            SegmentOperator.Exists => Value.GetBoolean() ? $"({column} IS NOT NULL)" : $"({column} IS NULL)",
            SegmentOperator.OlderThanDays => $"({column} IS NOT NULL AND {column} < {sql.DaysAgo(Value.GetInt32())})",
            SegmentOperator.NewerThanDays => $"({column} IS NOT NULL AND {column} > {sql.DaysAgo(Value.GetInt32())})",
            _ => $"({column} IS NOT NULL AND {column} {Comparison(Op)} {Instant(sql)})",
        };
    }

    private string CustomSql(SegmentSqlWriter sql)
    {
        var fields = sql.Column("custom_fields");
        switch (Op)
        {
            case SegmentOperator.Eq:
                return Contains(sql, fields, Value);
            case SegmentOperator.Ne:
                return $"(NOT {Contains(sql, fields, Value)})";
            case SegmentOperator.In:
                return "(" + string.Join(" OR ", Value.EnumerateArray().Select(v => Contains(sql, fields, v))) + ")";
        }

        var key = sql.Add(NpgsqlDbType.Text, Field.CustomKey!);
        var json = $"{fields} -> {key}";
        var text = $"({fields} ->> {key})";
        // A key holding JSON null is treated as absent: a form that sends "plan": null has no plan.
        var exists = $"coalesce(jsonb_typeof({json}) <> 'null', false)";
        return Op switch
        {
            SegmentOperator.Exists => Value.GetBoolean() ? exists : $"(NOT {exists})",
            SegmentOperator.Contains => $"coalesce(jsonb_typeof({json}) = 'string' AND strpos(lower({text}), lower({sql.Add(NpgsqlDbType.Text, Value.GetString()!)})) > 0, false)",
            SegmentOperator.Prefix => $"coalesce(jsonb_typeof({json}) = 'string' AND starts_with(lower({text}), lower({sql.Add(NpgsqlDbType.Text, Value.GetString()!)})), false)",
            SegmentOperator.OlderThanDays => $"coalesce(({IsoInstant.Sql(text)}) < {sql.DaysAgo(Value.GetInt32())}, false)",
            SegmentOperator.NewerThanDays => $"coalesce(({IsoInstant.Sql(text)}) > {sql.DaysAgo(Value.GetInt32())}, false)",
            // The cast is reached only for a number: CASE, unlike AND, fixes the order.
            _ when Value.ValueKind == JsonValueKind.Number =>
                $"coalesce(CASE WHEN jsonb_typeof({json}) = 'number' THEN ({json})::numeric {Comparison(Op)} {sql.Add(NpgsqlDbType.Numeric, Value.GetDecimal())} END, false)",
            _ => $"coalesce(({IsoInstant.Sql(text)}) {Comparison(Op)} {Instant(sql)}, false)",
        };
    }

    /// <summary>
    /// <c>custom_fields @> {"key": value}</c>: for a scalar value exactly "the key holds this value" (3 = 3.0, "3" ≠ 3),
    /// and the form the GIN (jsonb_path_ops) index on custom_fields serves.
    /// </summary>
    private string Contains(SegmentSqlWriter sql, string fields, JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WritePropertyName(Field.CustomKey!);
            value.WriteTo(json);
            json.WriteEndObject();
        }

        // Bare, not in coalesce(): the index serves only the operator itself, and custom_fields is never NULL.
        return $"({fields} @> {sql.Add(NpgsqlDbType.Jsonb, Encoding.UTF8.GetString(buffer.ToArray()))})";
    }

    private string Instant(SegmentSqlWriter sql)
    {
        _ = IsoInstant.TryParse(Value.GetString()!, out var instant);
        return sql.Add(NpgsqlDbType.TimestampTz, instant);
    }

    private static string Comparison(SegmentOperator op) => op switch
    {
        SegmentOperator.Gt => ">",
        SegmentOperator.Gte => ">=",
        SegmentOperator.Lt => "<",
        SegmentOperator.Lte => "<=",
        _ => throw new UnreachableException($"{op} is not a comparison."),
    };
}
