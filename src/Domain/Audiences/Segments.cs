using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Domain.Audiences;

/// <summary>Who belongs to a segment: one rule for its count, its list of leads and a campaign's audience.</summary>
public static class Segments
{
    /// <summary>
    /// The condition every member meets whatever the filter, over the leads table aliased <paramref name="leadAlias"/>:
    /// its number is not opted out nor suppressed (<c>opted_out_at</c>, which the database keeps from the number's
    /// consent) and it is not waiting to confirm a double opt-in.
    /// </summary>
    public static string MembershipSql(string leadAlias)
    {
        SegmentSqlWriter.CheckAlias(leadAlias);
        return $"({leadAlias}.opted_out_at IS NULL AND {leadAlias}.awaiting_confirmation_since IS NULL)";
    }

    /// <summary>
    /// The client's leads that are members of <paramref name="filter"/>, as a query to count, page or project (no
    /// lead is loaded here). <paramref name="now"/> anchors the filter's day counts (see <see cref="SegmentFilter.ToSql"/>).
    /// </summary>
    public static IQueryable<Lead> Members(SmsDbContext db, Guid clientId, SegmentFilter filter, DateTimeOffset? now = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);
        var (sql, parameters) = filter.ToSql("l", "segment", now);
        var client = new NpgsqlParameter("segment_client", NpgsqlDbType.Uuid) { Value = clientId };
        // Only the alias, column names and the filter's fixed SQL are text here; every value is one of the parameters.
        var statement = $"SELECT l.* FROM leads l WHERE l.client_id = @segment_client AND {MembershipSql("l")} AND {sql}";
        return db.Leads.FromSqlRaw(statement, [client, .. parameters]).AsNoTracking();
    }
}
