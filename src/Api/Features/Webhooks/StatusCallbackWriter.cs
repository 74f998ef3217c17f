using Npgsql;
using NpgsqlTypes;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Messages.Lifecycle;

namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// One status callback to apply: Twilio's SID and our status, with Twilio's error if any, and our message id when the
/// StatusCallback URL carried it (messages sent before it did have none), with the number it was sent from.
/// </summary>
internal sealed record StatusUpdate(string Sid, string Status, int? ErrorCode, string? ErrorMessage, Guid? MessageId = null, string? From = null);

/// <summary>
/// Applies status callbacks, many to a transaction: every SMS brings up to three, and one commit (one WAL flush)
/// each would cost the database more than the send itself. Within a batch the SIDs are locked in order, so two Api
/// instances applying overlapping batches queue instead of deadlocking.
/// </summary>
internal sealed class StatusCallbackWriter : IAsyncDisposable
{
    private const int MaxBatch = 100;
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit<StatusUpdate, Guid?> _group;

    public StatusCallbackWriter(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _group = new GroupCommit<StatusUpdate, Guid?>(ApplyManyAsync, MaxBatch);
    }

    /// <summary>Stores the callback and moves its message forward; returns the message's client when it moved.</summary>
    public Task<Guid?> ApplyAsync(StatusUpdate update, CancellationToken cancellationToken) =>
        _group.RunAsync(update, cancellationToken);

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    private async Task<IReadOnlyList<Guid?>> ApplyManyAsync(IReadOnlyList<StatusUpdate> updates, CancellationToken cancellationToken)
    {
        var results = new Guid?[updates.Count];
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One round trip for the whole batch: per update, its lock and its move forward (or storing), the updates in
        // SID order (a stable sort: two callbacks of one SID keep the order they came in).
        var order = Enumerable.Range(0, updates.Count).OrderBy(i => updates[i].Sid, StringComparer.Ordinal).ToList();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var update in order.Select(i => updates[i]))
            {
                if (update.MessageId is { } messageId)
                {
                    // To its own message only; the SID's lock, if needed, is taken after the row's (see the statement).
                    var command = Command(StatusCallbackSql.ApplyCallbackForMessage, update.Sid, update);
                    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = messageId });
                    command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)update.From ?? DBNull.Value });
                    batch.BatchCommands.Add(command);
                }
                else
                {
                    batch.BatchCommands.Add(Command(StatusCallbackSql.LockSid, update.Sid));
                    batch.BatchCommands.Add(Command(StatusCallbackSql.ApplyCallback, update.Sid, update));
                }
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            var moves = 0;
            do
            {
                // Each update's ApplyCallback (or ApplyCallbackForMessage) has one result set, with the client's row when the message moved; the
                // k-th of those is the k-th update's (the lock's result set is told apart by its column's name).
                if (reader.FieldCount == 1 && reader.GetName(0) == "client_id")
                {
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        results[order[moves]] = reader.GetGuid(0);
                    }

                    moves++;
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return results;
    }

    private static NpgsqlBatchCommand Command(string sql, string sid, StatusUpdate? update = null)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sid });
        if (update is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = update.Status });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)update.ErrorCode ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)update.ErrorMessage ?? DBNull.Value });
        }

        return command;
    }
}
