using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Twilio;
using SmsRemarketing.TwilioEmulator.Errors;
using SmsRemarketing.TwilioEmulator.Inspection;

namespace SmsRemarketing.TwilioEmulator.Messages;

/// <summary>
/// GET /2010-04-01/Accounts/{AccountSid}/Messages.json, newest first. Filters To, From, DateSent, DateSent&lt;
/// (on or before), DateSent&gt; (on or after; GMT days). PageSize defaults to 50 and is clamped to 1–1000.
/// Paging by Page (offset) or by the PageToken in next/previous_page_uri (stable while messages keep arriving).
/// </summary>
internal static class ListMessages
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    // Inferred: Twilio's code for an unparseable query parameter is not documented (docs/twilio.md).
    private const int InvalidParameter = 20001;

    public static Results<JsonHttpResult<MessageListResource>, JsonHttpResult<TwilioErrorBody>> Handle(
        string accountSid, HttpContext http, MessageStore store, EmulatorCounters counters)
    {
        counters.Count(Counter.ListRequests);
        var query = http.Request.Query;
        var to = First(query, "To");
        var from = First(query, "From");
        if (!TryDay(query, "DateSent", out var sentOn) || !TryDay(query, "DateSent<", out var sentOnOrBefore) || !TryDay(query, "DateSent>", out var sentOnOrAfter))
        {
            return TwilioErrors.BadRequest(InvalidParameter, "DateSent must be a GMT date such as 2024-05-31.");
        }

        var pageSize = int.TryParse(First(query, "PageSize"), NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            ? Math.Clamp(size, 1, MaxPageSize)
            : DefaultPageSize;
        var page = int.TryParse(First(query, "Page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var dateFiltered = sentOn is not null || sentOnOrBefore is not null || sentOnOrAfter is not null;

        bool Matches(StoredMessage m)
        {
            if (m.AccountSid != accountSid || (to is not null && m.To != to) || (from is not null && m.From != from))
            {
                return false;
            }

            if (!dateFiltered)
            {
                return true;
            }

            // Not sent yet means no date_sent, so no date filter can match it.
            if (m.DateSent is not { } sent)
            {
                return false;
            }

            var day = DateOnly.FromDateTime(sent.UtcDateTime);
            return (sentOn is null || day == sentOn) && (sentOnOrBefore is null || day <= sentOnOrBefore) && (sentOnOrAfter is null || day >= sentOnOrAfter);
        }

        var all = store.NewestFirst(Matches);
        var startIndex = StartIndex(all, First(query, "PageToken"), page, pageSize);
        var items = all.Skip(startIndex).Take(pageSize).ToList();
        var filters = Filters(to, from, query);
        string PageUri(int number, string? token) => PageUriFor(http.Request.Path, filters, pageSize, number, token);

        var start = page * pageSize;
        return TypedResults.Json(new MessageListResource(
            Messages: [.. items.Select(m => m.ToResource())],
            End: items.Count == 0 ? start : start + items.Count - 1,
            FirstPageUri: PageUri(0, null),
            NextPageUri: startIndex + items.Count < all.Count ? PageUri(page + 1, $"PA{items[^1].Sequence}") : null,
            Page: page,
            PageSize: pageSize,
            PreviousPageUri: startIndex > 0 && items.Count > 0 ? PageUri(Math.Max(page - 1, 0), $"PB{items[0].Sequence}") : null,
            Start: start,
            Uri: PageUri(page, First(query, "PageToken"))));
    }

    /// <summary>PA{n}: the page after sequence n; PB{n}: the page before it; no token: Page × PageSize.</summary>
    private static int StartIndex(IReadOnlyList<StoredMessage> newestFirst, string? token, int page, int pageSize)
    {
        if (token is { Length: > 2 } && long.TryParse(token.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            if (token.StartsWith("PA", StringComparison.Ordinal))
            {
                // The cursor is the previous page's last item: start at the first item older than it.
                return CountNewerThan(newestFirst, sequence - 1);
            }

            if (token.StartsWith("PB", StringComparison.Ordinal))
            {
                // The cursor is the next page's first item: end just before it.
                return Math.Max(0, CountNewerThan(newestFirst, sequence) - pageSize);
            }
        }

        return (int)Math.Min((long)page * pageSize, newestFirst.Count);
    }

    // The list is sorted by sequence, descending: binary search for the first item at or below the sequence.
    private static int CountNewerThan(IReadOnlyList<StoredMessage> newestFirst, long sequence)
    {
        int low = 0, high = newestFirst.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (newestFirst[middle].Sequence > sequence)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static string Filters(string? to, string? from, IQueryCollection query)
    {
        var filters = new StringBuilder();
        void Add(string encodedKey, string? value)
        {
            if (value is not null)
            {
                filters.Append(encodedKey).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
            }
        }

        Add("To", to);
        Add("From", from);
        Add("DateSent", First(query, "DateSent"));
        Add("DateSent%3C", First(query, "DateSent<"));
        Add("DateSent%3E", First(query, "DateSent>"));
        return filters.ToString();
    }

    private static string PageUriFor(PathString path, string filters, int pageSize, int page, string? token) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}?{filters}PageSize={pageSize}&Page={page}")
        + (token is null ? "" : "&PageToken=" + Uri.EscapeDataString(token));

    private static string? First(IQueryCollection query, string key) =>
        query[key].FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static bool TryDay(IQueryCollection query, string key, out DateOnly? day)
    {
        day = null;
        if (First(query, key) is not { } text)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
        {
            day = exact;
            return true;
        }

        if (Rfc2822Date.TryParse(text, out var moment))
        {
            day = DateOnly.FromDateTime(moment.UtcDateTime);
            return true;
        }

        return false;
    }
}
