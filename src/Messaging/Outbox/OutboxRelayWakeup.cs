using Npgsql;

namespace SmsRemarketing.Messaging.Outbox;

/// <summary>
/// Tells the relay that a transaction which wrote outbox rows has committed, so publishing never waits out a poll
/// interval. In-process, that is a signal. A process without a relay sends one PostgreSQL NOTIFY instead, after the
/// commit: never inside the writing transaction, where NOTIFY's commit-time global lock would serialise every
/// send's commit. <see cref="OutboxCommitInterceptor"/> calls it after SaveChanges; a writer that bypasses
/// SaveChanges (a COPY) calls it itself.
/// </summary>
public sealed class OutboxRelayWakeup(OutboxSignal signal, NpgsqlDataSource dataSource)
{
    public const string Channel = "outbox_messages";

    /// <summary>Call after the commit, never before: a relay woken early finds nothing and sleeps a poll interval.</summary>
    public async ValueTask CommittedAsync(CancellationToken cancellationToken)
    {
        if (signal.LocalRelayRunning)
        {
            signal.Notify();
            return;
        }

        // Best effort: a lost notification costs one poll interval, never a message.
        try
        {
            await using var notify = dataSource.CreateCommand($"NOTIFY {Channel}");
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException)
        {
        }
    }
}
