using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SmsRemarketing.Data;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows to RabbitMQ. Each round claims a batch with <c>FOR UPDATE SKIP LOCKED</c>
/// (so relays of several instances, and the rounds of one, never block each other or take the same row),
/// publishes the batch concurrently with publisher confirms, and marks the confirmed rows in the same transaction.
/// A crash at any point releases the locks; the rows are published again with the same MessageId, and each
/// consumer is idempotent by the state it changes.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    OutboxSignal signal,
    OutboxMessageTypes messageTypes,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const string ClaimSql = """
        SELECT id, message_type, body, trace_parent, trace_state, created_at
        FROM outbox_messages
        WHERE published_at IS NULL
        ORDER BY sequence
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        """;

    private readonly OutboxOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RelayEnabled)
        {
            return;
        }

        signal.LocalRelayRunning = true;
        var listening = ListenAsync(stoppingToken);
        try
        {
            // Rounds run side by side: SKIP LOCKED gives each its own rows, so while one waits for the broker's
            // confirms or for its commit to flush, another is already claiming what was committed meanwhile.
            await Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(_ => RelayLoopAsync(stoppingToken)));
        }
        finally
        {
            signal.LocalRelayRunning = false;
            await listening;
        }
    }

    private async Task RelayLoopAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                RelayRound round;
                try
                {
                    round = await RelayBatchAsync(stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(exception);
                    round = new RelayRound(0, 1);
                }

                if (round.Failed > 0)
                {
                    failures++;
                    await Task.Delay(RetryDelay(failures), stoppingToken);
                    continue;
                }

                failures = 0;
                if (round.Claimed < _options.BatchSize)
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: claim a batch, publish it, record what the broker confirmed.</summary>
    private async Task<RelayRound> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var rows = await ClaimAsync(connection, transaction, cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RelayRound(0, 0);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        var outcomes = await Task.WhenAll(rows.Select(row => PublishAsync(row, timeout.Token)));

        await RecordAsync(connection, transaction, outcomes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var failed = outcomes.Count(o => o.Kind == OutcomeKind.Failed);
        if (failed > 0)
        {
            LogPublishFailed(failed, rows.Count, outcomes.First(o => o.Kind == OutcomeKind.Failed).Error);
        }

        return new RelayRound(rows.Count, failed);
    }

    private async Task<List<ClaimedRow>> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var batchSize = _options.BatchSize;
        await using var claim = new NpgsqlCommand(ClaimSql, connection, transaction);
        claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = batchSize });
        var rows = new List<ClaimedRow>(batchSize);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ClaimedRow(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5)));
        }

        return rows;
    }

    private async Task<Outcome> PublishAsync(ClaimedRow row, CancellationToken cancellationToken)
    {
        if (!messageTypes.TryResolve(row.MessageType, out var type))
        {
            return Outcome.DeadLetter(row.Id, $"Unknown message type '{row.MessageType}'.");
        }

        object? message;
        try
        {
            message = JsonSerializer.Deserialize(row.Body, type, OutboxJson.Options);
        }
        catch (JsonException exception)
        {
            return Outcome.DeadLetter(row.Id, $"Body is not valid JSON for {type.Name}: {exception.Message}");
        }

        if (message is null)
        {
            return Outcome.DeadLetter(row.Id, "Body is JSON null.");
        }

        // Continue the writer's trace: MassTransit's publish activity becomes a child of this one.
        ActivityContext.TryParse(row.TraceParent, row.TraceState, out var parent);
        using var activity = OutboxTelemetry.ActivitySource.StartActivity($"outbox publish {type.Name}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.Id);

        try
        {
            await bus.Publish(message, type, context =>
            {
                context.MessageId = row.Id;
                // Without it the broker confirms a message no queue is bound for yet (a consumer that never started
                // on a fresh broker) and drops it: the row would be marked and the event lost. Mandatory, the
                // broker returns it and the publish fails, so the row stays pending and is retried.
                context.Mandatory = true;
            }, cancellationToken);
            OutboxTelemetry.CommitToPublish.Record((DateTimeOffset.UtcNow - row.CreatedAt).TotalMilliseconds);
            return Outcome.Published(row.Id);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            return Outcome.Failed(row.Id, exception.Message);
        }
    }

    private async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Outcome[] outcomes, CancellationToken cancellationToken)
    {
        var published = outcomes.Where(o => o.Kind == OutcomeKind.Published).Select(o => o.Id).ToArray();
        var failed = outcomes.Where(o => o.Kind == OutcomeKind.Failed).ToArray();
        var dead = outcomes.Where(o => o.Kind == OutcomeKind.DeadLetter).ToArray();

        await using var batch = new NpgsqlBatch(connection, transaction);
        if (published.Length > 0)
        {
            // With no retention there is nothing to keep: delete at once and save the later sweep.
            batch.BatchCommands.Add(Command(
                _options.PublishedRetention == TimeSpan.Zero
                    ? "DELETE FROM outbox_messages WHERE id = ANY($1)"
                    // clock_timestamp(), not now(): the moment of the confirm, not of the claim.
                    : "UPDATE outbox_messages SET published_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)",
                published));
        }

        if (failed.Length > 0)
        {
            batch.BatchCommands.Add(Command(
                "UPDATE outbox_messages SET attempts = attempts + 1, last_error = left($2, 2000) WHERE id = ANY($1)",
                failed.Select(o => o.Id).ToArray(), failed[0].Error ?? "unknown error"));
        }

        if (dead.Length > 0)
        {
            var ids = dead.Select(o => o.Id).ToArray();
            batch.BatchCommands.Add(Command("""
                INSERT INTO outbox_dead_letters (id, message_type, body, trace_parent, created_at, reason, moved_at)
                SELECT m.id, m.message_type, m.body, m.trace_parent, m.created_at, left(d.reason, 2000), now()
                FROM outbox_messages m JOIN unnest($1::uuid[], $2::text[]) AS d(id, reason) ON d.id = m.id
                """, ids, dead.Select(o => o.Error ?? "").ToArray()));
            batch.BatchCommands.Add(Command("DELETE FROM outbox_messages WHERE id = ANY($1)", ids));
            foreach (var row in dead)
            {
                LogDeadLettered(row.Id, row.Error);
            }
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        OutboxTelemetry.Published.Add(published.Length);
        OutboxTelemetry.PublishFailures.Add(failed.Length);
        OutboxTelemetry.DeadLettered.Add(dead.Length);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    /// <summary>Wakes the relay on NOTIFY from processes that write rows but run no relay.</summary>
    private Task ListenAsync(CancellationToken cancellationToken) =>
        // Rows may have been written while nobody listened: a round at every (re)connection.
        PostgresListener.ListenAsync(dataSource, OutboxRelayWakeup.Channel, _ => signal.Notify(), signal.Notify,
            exception => LogListenFailed(exception.Message), _options.MaxRetryDelay, cancellationToken);

    private TimeSpan RetryDelay(int failures) => PostgresListener.RetryDelay(failures, _options.MaxRetryDelay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay round failed; retrying with backoff")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish {Failed} of {Claimed} messages; retrying with backoff: {Error}")]
    private partial void LogPublishFailed(int failed, int claimed, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} moved to outbox_dead_letters: {Reason}")]
    private partial void LogDeadLettered(Guid messageId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay lost its LISTEN connection ({Error}); polling until it is back")]
    private partial void LogListenFailed(string error);

    private sealed record ClaimedRow(Guid Id, string MessageType, string Body, string? TraceParent, string? TraceState, DateTimeOffset CreatedAt);

    private enum OutcomeKind
    {
        Published,
        Failed,
        DeadLetter,
    }

    private sealed record Outcome(Guid Id, OutcomeKind Kind, string? Error)
    {
        public static Outcome Published(Guid id) => new(id, OutcomeKind.Published, null);
        public static Outcome Failed(Guid id, string error) => new(id, OutcomeKind.Failed, error);
        public static Outcome DeadLetter(Guid id, string reason) => new(id, OutcomeKind.DeadLetter, reason);
    }
}

/// <summary>What one relay round did.</summary>
internal readonly record struct RelayRound(int Claimed, int Failed);
