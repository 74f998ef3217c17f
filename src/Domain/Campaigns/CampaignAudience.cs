using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// The leads a campaign is for, read from PostgreSQL a page at a time in id order (never the whole audience in
/// memory): its segment's or its listed leads, less the members of its excluded segments. Opted-out and unconfirmed
/// leads are in it, so the estimate can say how many were left out and why (<see cref="CampaignPlanner"/>).
/// </summary>
public static class CampaignAudience
{
    /// <summary>
    /// The next page of at most <paramref name="limit"/> leads after <paramref name="after"/> (null: from the start);
    /// <paramref name="now"/> anchors the segments' day counts.
    /// </summary>
    public static async Task<List<Lead>> PageAsync(
        SmsDbContext db, Campaign campaign, CampaignSegments segments, Guid? after, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(segments);
        var sql = new StringBuilder("SELECT l.* FROM leads l WHERE l.client_id = @audience_client");
        var parameters = new List<NpgsqlParameter>
        {
            new NpgsqlParameter<Guid>("audience_client", campaign.ClientId),
            new NpgsqlParameter<Guid>("audience_after", after ?? Guid.Empty),
            new NpgsqlParameter<int>("audience_limit", limit),
        };
        if (campaign.LeadIds is { } leadIds)
        {
            sql.Append(" AND l.id = ANY(@audience_leads)");
            parameters.Add(new NpgsqlParameter<Guid[]>("audience_leads", [.. leadIds]));
        }

        // A filter's SQL is never NULL, so NOT is its exact complement.
        if (segments.Include is { } include)
        {
            var (condition, values) = include.ToSql("l", "audience_in_", now);
            sql.Append(" AND (").Append(condition).Append(')');
            parameters.AddRange(values);
        }

        for (var i = 0; i < segments.Exclude.Count; i++)
        {
            var (condition, values) = segments.Exclude[i].ToSql("l", $"audience_out{(char)('a' + i)}_", now);
            sql.Append(" AND NOT (").Append(condition).Append(')');
            parameters.AddRange(values);
        }

        sql.Append(" AND l.id > @audience_after ORDER BY l.id LIMIT @audience_limit");
        return await db.Leads.FromSqlRaw(sql.ToString(), [.. parameters]).AsNoTracking().ToListAsync(cancellationToken);
    }
}
