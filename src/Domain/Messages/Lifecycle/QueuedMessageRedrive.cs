using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SmsRemarketing.Data;

namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>
/// A message <c>queued</c> for longer than a bound gets its send request (<see cref="SendRequests"/>) again, through the outbox
/// in the same transaction. Its event may have been lost (moved to an error queue, dropped by a broker that lost its
/// disk); a copy of one that is merely late is harmless, because the Dispatcher's claim only moves a message that is
/// still <c>queued</c>. Re-driving sets <c>updated_at</c>, so the same message is not re-driven again until the bound
/// has passed once more; <c>SKIP LOCKED</c> lets several Schedulers share the work.
/// </summary>
public static class QueuedMessageRedrive
{
    private static readonly string RedriveSql = $"""
        UPDATE messages m SET updated_at = now()
        FROM (
            SELECT id FROM messages
            WHERE status = '{MessageLifecycle.Queued}' AND updated_at < now() - $1
            ORDER BY updated_at
            LIMIT $2
            FOR UPDATE SKIP LOCKED
        ) stranded
        WHERE m.id = stranded.id
        RETURNING m.id, m.client_id, m.campaign_id
        """;

    /// <summary>Count of the <c>queued</c> messages and the age of the oldest one, by when it became queued.</summary>
    private static readonly string OldestSql = $"""
        SELECT count(*), coalesce(extract(epoch FROM now() - min(coalesce(queued_at, created_at))), 0)::float8
        FROM messages
        WHERE status = '{MessageLifecycle.Queued}'
        """;

    /// <summary>
    /// Re-drives at most <paramref name="batchSize"/> messages queued (or last re-driven) more than
    /// <paramref name="queuedFor"/> ago, oldest first. Returns how many.
    /// </summary>
    public static async Task<int> RedriveAsync(SmsDbContext db, TimeSpan queuedFor, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var stranded = new List<(Guid Id, Guid ClientId, Guid? CampaignId)>();
        await using (var command = new NpgsqlCommand(RedriveSql, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction()))
        {
            command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = queuedFor });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stranded.Add((reader.GetGuid(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetGuid(2)));
            }
        }

        var now = DateTimeOffset.UtcNow;
        foreach (var (id, clientId, campaignId) in stranded)
        {
            db.AddSendRequest(id, clientId, campaignId, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return stranded.Count;
    }

    /// <summary>How many messages are <c>queued</c>, and for how long the oldest has been (seconds; 0 when none).</summary>
    public static async Task<(long Queued, double OldestAgeSeconds)> OldestAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(OldestSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetDouble(1));
    }
}
