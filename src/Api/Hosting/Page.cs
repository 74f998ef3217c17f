namespace SmsRemarketing.Api.Hosting;

/// <summary>One page of a list; <see cref="NextCursor"/> is null on the last page.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static bool IsValidLimit(int? limit) => limit is null or (>= 1 and <= MaxLimit);

    /// <summary>
    /// The page from <paramref name="rows"/>, fetched with one row more than <paramref name="take"/>: that extra row
    /// says there is a next page, which starts after the last row kept.
    /// </summary>
    public static Page<T> Of(IReadOnlyList<T> rows, int take, Func<T, Cursor> positionOf) =>
        new([.. rows.Take(take)], rows.Count > take ? positionOf(rows[take - 1]).Encode() : null);
}
