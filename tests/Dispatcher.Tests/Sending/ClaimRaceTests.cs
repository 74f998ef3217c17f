using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Dispatcher.Sending;
using SmsRemarketing.Domain.Messages.Lifecycle;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

/// <summary>The races `make chaos` found with several Dispatchers debiting one client (scale-out).</summary>
public sealed class ClaimRaceTests : DispatcherTest
{
    [Fact]
    public async Task AClaimThatWaitedForTheClientsRowStartsTheReconcilersClockWhenItCommitsNotWhenItBegan()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead);
        var transitions = Services.GetRequiredService<MessageTransitions>();

        // Another Dispatcher's debit holds the client's row while this claim runs.
        await using var other = await Database.DataSource.OpenConnectionAsync();
        await using var holding = await other.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand("SELECT 1 FROM clients WHERE id = $1 FOR UPDATE", other, holding))
        {
            lockRow.Parameters.Add(new Npgsql.NpgsqlParameter { Value = client.Id });
            await lockRow.ExecuteNonQueryAsync();
        }

        var claiming = transitions.ClaimAsync(message.Id, CancellationToken.None);
        await Eventually.WaitAsync(
            () => Database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'"),
            waiting => waiting > 0, "the claim to wait for the client's row");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await using (var now = new Npgsql.NpgsqlCommand("SELECT clock_timestamp()", other, holding))
        {
            var released = (DateTime)(await now.ExecuteScalarAsync())!;
            await holding.CommitAsync();
            var (claim, settled) = await claiming;

            Assert.NotNull(claim);
            Assert.Null(settled);
            var stamped = await Database.ScalarAsync<DateTime>("SELECT last_attempt_at FROM messages WHERE id = $1", message.Id);
            Assert.True(stamped >= released, $"last_attempt_at {stamped:O} is before the row was released at {released:O}");
        }
    }

    [Fact]
    public async Task AResumedMessageThatAnotherSenderFinishedMeanwhileIsNotSentAgain()
    {
        var (_, lead) = await ArrangeClientAsync(credits: 1);
        var message = await QueueMessageAsync(lead, "Only once");
        var transitions = Services.GetRequiredService<MessageTransitions>();
        var (claim, _) = await transitions.ClaimAsync(message.Id, CancellationToken.None);
        // The reconciler took the claim over; before it resends, the first sender's 'sent' mark lands (with a SID
        // this Twilio account does not list, so the look-up finds nothing and only the state guard stops a resend).
        await transitions.MarkSentAsync(message.Id, "SM" + new string('0', 32), null, CancellationToken.None);

        var outcome = await Services.GetRequiredService<SmsSender>().ResumeAsync(claim!, CancellationToken.None);

        Assert.Equal(SendOutcome.Duplicate, outcome);
        Assert.Equal(0, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
    }
}
