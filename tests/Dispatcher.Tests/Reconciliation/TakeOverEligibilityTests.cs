using SmsRemarketing.Data.Messages;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Dispatcher.Tests.Reconciliation;

/// <summary>A message taken over when stuck goes through the same rules as a claim before it is sent.</summary>
public sealed class TakeOverEligibilityTests : DispatcherTest
{
    // 22:00 UTC: after the close of the default 08:00–21:00 window for a lead in UTC.
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 6, 15, 22, 0, 0, TimeSpan.Zero));

    // An Icelandic number: its only zone, Atlantic/Reykjavik, is UTC all year (a lead's own zone cannot move a number).
    private const string InUtc = "+3545512345";

    protected override TimeProvider? Clock => _clock;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Dispatcher:StuckAfter"] = "00:00:01",
        ["Dispatcher:ReconcileInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task AStuckMessageTwilioNeverGotWaitsForTheWindowKeepingItsDebitAndIsNotChargedAgainWhenSent()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 1, quietHours: true, phone: InUtc, homeCountry: "IS");
        var message = await QueueMessageAsync(lead, "Claimed at 20:59, its Dispatcher died");
        await Database.ExecuteAsync(
            "UPDATE messages SET status = 'sending', attempts = 1, last_attempt_at = now() - interval '1 minute' WHERE id = $1", message.Id);
        await Database.ExecuteAsync(
            "INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at) VALUES ($1, -1, 'sms_debit', $2, now())",
            client.Id, message.Id);

        var waiting = await WaitForStatusAsync(message.Id, MessageStatus.Scheduled);

        Assert.Equal(new DateTimeOffset(2026, 6, 16, 8, 0, 0, TimeSpan.Zero), waiting.SendAfter);
        var counters = await TwilioAdmin.GetCountersAsync();
        Assert.Equal((0L, 1L), (counters.CreateRequests, counters.ListRequests)); // looked up, not sent
        Assert.Equal(0L, await BalanceAsync(client.Id));

        // The next morning the releaser queues it again; the claim finds it paid for.
        _clock.Now = new DateTimeOffset(2026, 6, 16, 8, 30, 0, TimeSpan.Zero);
        await Database.ExecuteAsync("UPDATE messages SET status = 'queued', queued_at = now(), send_after = NULL WHERE id = $1", message.Id);
        await PublishAsync(message);

        await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        Assert.Equal(0L, await BalanceAsync(client.Id));
        Assert.Equal(1L, await Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE message_id = $1", message.Id));
    }
}
