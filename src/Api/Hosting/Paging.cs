using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace SmsRemarketing.Api.Hosting;

/// <summary>
/// Keyset paging, newest first, for every list: <c>limit</c> and <c>cursor</c> checked into field errors, the rows
/// after the cursor's (created_at, id) in that order, one more than the page, and the page with its next cursor.
/// </summary>
internal static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Reads a position from a previous page's <c>next_cursor</c>; false when the text is not one.</summary>
    public delegate bool PositionDecoder<TPosition>(string? text, out TPosition? position) where TPosition : struct;

    /// <summary>Checks <paramref name="limit"/> and a (created_at, id) <paramref name="cursor"/>, adding an error per bad field.</summary>
    public static PageRequest<Cursor> Read(ValidationErrors errors, int? limit, string? cursor) => Read<Cursor>(errors, limit, cursor, Cursor.TryDecode);

    /// <summary>As <see cref="Read(ValidationErrors, int?, string?)"/>, for a list whose position is not a (created_at, id).</summary>
    public static PageRequest<TPosition> Read<TPosition>(ValidationErrors errors, int? limit, string? cursor, PositionDecoder<TPosition> decode)
        where TPosition : struct
    {
        if (limit is not (null or (>= 1 and <= MaxLimit)))
        {
            errors.Add("limit", $"Between 1 and {MaxLimit}.");
        }

        if (!decode(cursor, out var after))
        {
            errors.Add("cursor", "Not a cursor from a previous page.");
        }

        return new PageRequest<TPosition>(limit ?? DefaultLimit, after);
    }

    /// <summary>
    /// The rows after the cursor, newest first by (<paramref name="createdAt"/>, <paramref name="id"/>), one more than
    /// the page. The cursor's values are query parameters, so every page shares one query plan.
    /// </summary>
    public static IQueryable<T> Seek<T>(
        this IQueryable<T> query, PageRequest<Cursor> page, Expression<Func<T, DateTimeOffset>> createdAt, Expression<Func<T, Guid>> id)
    {
        if (page.After is { } position)
        {
            Expression<Func<DateTimeOffset, Guid, bool>> before = (rowCreatedAt, rowId) =>
                rowCreatedAt < position.CreatedAt || (rowCreatedAt == position.CreatedAt && rowId.CompareTo(position.Id) < 0);
            var row = createdAt.Parameters[0];
            var body = ReplacingExpressionVisitor.Replace(before.Parameters[0], createdAt.Body,
                ReplacingExpressionVisitor.Replace(before.Parameters[1], ReplacingExpressionVisitor.Replace(id.Parameters[0], row, id.Body), before.Body));
            query = query.Where(Expression.Lambda<Func<T, bool>>(body, row));
        }

        return query.OrderByDescending(createdAt).ThenByDescending(id).Take(page.Fetch);
    }

    /// <summary>The page of rows fetched with <see cref="Seek{T}"/>.</summary>
    public static Page<T> ToPage<T>(this PageRequest<Cursor> page, IReadOnlyList<T> rows, Func<T, Cursor> positionOf) =>
        page.ToPage(rows, row => positionOf(row).Encode());

    /// <summary>Runs a query built with <see cref="Seek{T}"/> and returns its page.</summary>
    public static async Task<Page<T>> ToPageAsync<T>(
        this IQueryable<T> rows, PageRequest<Cursor> page, Func<T, Cursor> positionOf, CancellationToken cancellationToken) =>
        page.ToPage(await rows.ToListAsync(cancellationToken), positionOf);
}
