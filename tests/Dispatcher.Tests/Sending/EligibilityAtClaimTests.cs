using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Dispatcher.Tests.Sending;

/// <summary>The rules applied again when the Dispatcher claims a message, just before it calls Twilio.</summary>
public sealed class EligibilityAtClaimTests : DispatcherTest
{
    // A minute before 21:00 UTC, the close of the default 08:00–21:00 window for a lead in UTC.
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 6, 15, 20, 59, 0, TimeSpan.Zero));

    // An Icelandic number: its only zone, Atlantic/Reykjavik, is UTC all year (a lead's own zone cannot move a number).
    private const string InUtc = "+3545512345";

    protected override TimeProvider? Clock => _clock;

    [Fact]
    public async Task ABacklogDrainedAcrossTheWindowsCloseSendsWhatWasClaimedBeforeAndSchedulesTheRestForTheNextOpening()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10, quietHours: true, phone: InUtc, homeCountry: "IS");
        await Database.ExecuteAsync("UPDATE clients SET allowed_categories = '{marketing,transactional}' WHERE id = $1", client.Id);
        var before = await QueueAsync(lead, "Before the close 1", "Before the close 2");
        var after = await QueueAsync(lead, "After the close 1", "After the close 2");
        var overridden = (await QueueAsync(lead, MessageCategory.Transactional, "Your code is 123456")).Single();

        foreach (var message in before)
        {
            await PublishAsync(message);
            await WaitForStatusAsync(message.Id, MessageStatus.Sent);
        }

        _clock.Now = new DateTimeOffset(2026, 6, 15, 21, 0, 30, TimeSpan.Zero);
        foreach (var message in after.Append(overridden))
        {
            await PublishAsync(message);
        }

        await WaitForStatusAsync(overridden.Id, MessageStatus.Sent);
        var nextOpening = new DateTimeOffset(2026, 6, 16, 8, 0, 0, TimeSpan.Zero);
        foreach (var message in after)
        {
            var deferred = await WaitForStatusAsync(message.Id, MessageStatus.Scheduled);
            Assert.Equal(nextOpening, deferred.SendAfter);
            Assert.Contains("quiet hours", deferred.ErrorMessage, StringComparison.Ordinal);
        }

        Assert.Equal(3, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(7L, await BalanceAsync(client.Id));
        Assert.Equal(0L, await Database.ScalarAsync<long>(
            "SELECT count(*) FROM credit_transactions WHERE message_id = ANY($1)", after.Select(m => m.Id).ToArray()));
    }

    [Fact]
    public async Task ATransactionalMessageWhoseCategoryTheOperatorWithdrewIsClaimedAsMarketing()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10, quietHours: true, phone: InUtc, homeCountry: "IS");
        await Database.ExecuteAsync("UPDATE clients SET allowed_categories = '{marketing,transactional}' WHERE id = $1", client.Id);
        var kept = (await QueueAsync(lead, MessageCategory.Transactional, "Your code is 123456")).Single();
        var withdrawn = (await QueueAsync(lead, MessageCategory.Transactional, "Your order shipped")).Single();
        _clock.Now = new DateTimeOffset(2026, 6, 15, 21, 0, 30, TimeSpan.Zero);

        await PublishAsync(kept);
        await WaitForStatusAsync(kept.Id, MessageStatus.Sent);
        await Database.ExecuteAsync("UPDATE clients SET allowed_categories = '{marketing}' WHERE id = $1", client.Id);
        await PublishAsync(withdrawn);

        var deferred = await WaitForStatusAsync(withdrawn.Id, MessageStatus.Scheduled);
        Assert.Equal(new DateTimeOffset(2026, 6, 16, 8, 0, 0, TimeSpan.Zero), deferred.SendAfter);
        Assert.Contains("quiet hours", deferred.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("it goes as marketing", deferred.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(MessageCategory.Transactional, deferred.Category);
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(9L, await BalanceAsync(client.Id));
    }

    [Fact]
    public async Task AnAutomatedSendOverTheFrequencyCapWhenClaimedWaitsUntilTheCapAllowsIt()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 10);
        // Two automated sends queued at once by two paths that did not see each other (the cap is 1 a day by default).
        var first = await QueueAsync(lead, MessageSource.NewLead, _clock.GetUtcNow().AddSeconds(-2), "Welcome");
        var second = await QueueAsync(lead, MessageSource.NewLead, _clock.GetUtcNow().AddSeconds(-1), "Welcome again");

        await PublishAsync(first);
        await WaitForStatusAsync(first.Id, MessageStatus.Sent);
        await PublishAsync(second);

        var deferred = await WaitForStatusAsync(second.Id, MessageStatus.Scheduled);
        Assert.Equal(first.QueuedAt!.Value.AddHours(24), deferred.SendAfter);
        Assert.Equal(1, (await TwilioAdmin.GetCountersAsync()).CreateRequests);
        Assert.Equal(9L, await BalanceAsync(client.Id));
    }

    private Task<List<Message>> QueueAsync(Lead lead, params string[] bodies) => QueueAsync(lead, MessageCategory.Marketing, bodies);

    private async Task<List<Message>> QueueAsync(Lead lead, MessageCategory category, params string[] bodies)
    {
        await using var db = Database.CreateDbContext();
        var messages = bodies.Select(body => new Message
        {
            ClientId = lead.ClientId, LeadId = lead.Id, ToPhone = lead.Phone, Body = body, Segments = 1,
            Category = category, QueuedAt = _clock.GetUtcNow(),
        }).ToList();
        db.Messages.AddRange(messages);
        await db.SaveChangesAsync();
        return messages;
    }

    private async Task<Message> QueueAsync(Lead lead, MessageSource source, DateTimeOffset queuedAt, string body)
    {
        await using var db = Database.CreateDbContext();
        var message = new Message
        {
            ClientId = lead.ClientId, LeadId = lead.Id, ToPhone = lead.Phone, Body = body, Segments = 1, Source = source, QueuedAt = queuedAt,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message;
    }
}
