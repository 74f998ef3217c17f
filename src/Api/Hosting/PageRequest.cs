namespace SmsRemarketing.Api.Hosting;

/// <summary>
/// A list's <c>limit</c> and <c>cursor</c> as read by <see cref="Paging.Read"/>: the page size, and the position of
/// the last row of the previous page (null for the first page).
/// </summary>
internal readonly record struct PageRequest<TPosition>(int Limit, TPosition? After) where TPosition : struct
{
    /// <summary>How many rows to fetch: one more than the page, whose presence says there is a next page.</summary>
    public int Fetch => Limit + 1;

    /// <summary>The page from rows fetched with <see cref="Fetch"/>; the next one starts after the last row kept.</summary>
    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, string> encodePosition) =>
        new([.. rows.Take(Limit)], rows.Count > Limit ? encodePosition(rows[Limit - 1]) : null);
}
