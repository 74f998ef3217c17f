namespace SmsRemarketing.Domain.Audiences;

internal enum SegmentOperator
{
    Eq,
    Ne,
    In,
    Exists,
    Contains,
    Prefix,
    Gt,
    Gte,
    Lt,
    Lte,
    OlderThanDays,
    NewerThanDays,
}

/// <summary>The operators by their JSON names, and which of them each kind of field takes.</summary>
internal static class SegmentOperators
{
    private static readonly Dictionary<string, SegmentOperator> ByName = new(StringComparer.Ordinal)
    {
        ["eq"] = SegmentOperator.Eq,
        ["ne"] = SegmentOperator.Ne,
        ["in"] = SegmentOperator.In,
        ["exists"] = SegmentOperator.Exists,
        ["contains"] = SegmentOperator.Contains,
        ["prefix"] = SegmentOperator.Prefix,
        ["gt"] = SegmentOperator.Gt,
        ["gte"] = SegmentOperator.Gte,
        ["lt"] = SegmentOperator.Lt,
        ["lte"] = SegmentOperator.Lte,
        ["older_than_days"] = SegmentOperator.OlderThanDays,
        ["newer_than_days"] = SegmentOperator.NewerThanDays,
    };

    private static readonly SegmentOperator[] Matching =
        [SegmentOperator.Eq, SegmentOperator.Ne, SegmentOperator.In, SegmentOperator.Exists, SegmentOperator.Contains, SegmentOperator.Prefix];

    private static readonly SegmentOperator[] Ordering =
        [SegmentOperator.Exists, SegmentOperator.Gt, SegmentOperator.Gte, SegmentOperator.Lt, SegmentOperator.Lte,
         SegmentOperator.OlderThanDays, SegmentOperator.NewerThanDays];

    public static string AllNames => string.Join(", ", ByName.Keys);

    public static SegmentOperator? Find(string name) => ByName.TryGetValue(name, out var op) ? op : null;

    public static string Name(SegmentOperator op) => ByName.First(p => p.Value == op).Key;

    /// <summary>
    /// Texts and phones are matched, instants are ordered; a custom field holds any JSON, so it takes every operator
    /// and its value says how to compare.
    /// </summary>
    public static IReadOnlyList<SegmentOperator> For(SegmentFieldKind kind) => kind switch
    {
        SegmentFieldKind.Text or SegmentFieldKind.Phone => Matching,
        SegmentFieldKind.Timestamp => Ordering,
        _ => [.. ByName.Values],
    };

    public static string Names(IEnumerable<SegmentOperator> ops) => string.Join(", ", ops.Select(Name));
}
