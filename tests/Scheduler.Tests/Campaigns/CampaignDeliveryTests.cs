using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Campaigns;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests.Campaigns;

/// <summary>
/// A scheduled campaign's delivery by the Scheduler (its campaign pass): recipient-local times, throttle, pause, the
/// campaign lane and the closing of its account, on a real database and broker with the test's clock.
/// </summary>
public sealed class CampaignDeliveryTests : IAsyncLifetime
{
    // 06:00 UTC on a summer day: 23:00 the day before in Los Angeles (PDT), 08:00 in Berlin (CEST).
    private static readonly DateTimeOffset SummerMorning = new(2026, 6, 15, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TenInBerlin = new(2026, 6, 15, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset TenInLosAngeles = new(2026, 6, 15, 17, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(SummerMorning);
    private TestDatabase _database = null!;
    private TestBroker _broker = null!;
    private SchedulerHost _scheduler = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _broker = await TestBroker.CreateAsync();
        _scheduler = await SchedulerHost.StartAsync(_database, _broker, _clock);
    }

    public async Task DisposeAsync()
    {
        await _scheduler.DisposeAsync();
        await _broker.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task RecipientLocalTenOClockSendsALosAngelesAndABerlinLeadEachAtItsOwnTen()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", credits: 10);
        var losAngeles = await LeadAsync(client, "+14155550123", "America/Los_Angeles");
        var berlin = await LeadAsync(client, "+4915123456789", timezone: null); // +49 places it in Europe/Berlin
        var campaign = await CampaignAsync(client, [losAngeles.Id, berlin.Id], c => (c.LocalTime, c.SendDate) = (new TimeOnly(10, 0), new DateOnly(2026, 6, 15)));

        var scheduled = await ScheduleAsync(client, campaign);

        Assert.Equal(CampaignScheduleOutcome.Scheduled, scheduled.Outcome);
        Assert.Equal(TenInBerlin, (await MessageToAsync(campaign, berlin)).SendAfter);
        Assert.Equal(TenInLosAngeles, (await MessageToAsync(campaign, losAngeles)).SendAfter);

        _clock.Now = TenInBerlin;
        await Eventually.WaitAsync(() => MessageToAsync(campaign, berlin), m => m.Status == MessageStatus.Queued, "the Berlin message to be released at its 10:00");
        Assert.Equal(MessageStatus.Scheduled, (await MessageToAsync(campaign, losAngeles)).Status);
        Assert.Equal(CampaignStatus.Sending, (await CampaignRowAsync(campaign)).Status);

        _clock.Now = TenInLosAngeles;
        var released = await Eventually.WaitAsync(() => MessageToAsync(campaign, losAngeles), m => m.Status == MessageStatus.Queued,
            "the Los Angeles message to be released at its 10:00");
        Assert.Equal(TenInLosAngeles, released.QueuedAt);
        // Published on the campaign lane, not the main one.
        await Eventually.WaitAsync(() => _database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendCampaignSmsRequested' AND published_at IS NOT NULL"),
            published => published == 2, "both messages published on the campaign lane");
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%.SendSmsRequested'"));
    }

    [Fact]
    public async Task ARecipientWhoseLocalTimeHasPassedIsSkippedWhenTheCampaignSaysSo()
    {
        // At 09:00 UTC it is 11:00 in Berlin (passed) and 02:00 in Los Angeles (ahead).
        _clock.Now = new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);
        var client = await Arrange.ClientAsync(_database, "UTC", credits: 10);
        var losAngeles = await LeadAsync(client, "+14155550123", "America/Los_Angeles");
        var berlin = await LeadAsync(client, "+4915123456789", timezone: null);
        var skip = await CampaignAsync(client, [losAngeles.Id, berlin.Id],
            c => (c.LocalTime, c.SendDate, c.WhenLocalTimePassed) = (new TimeOnly(10, 0), new DateOnly(2026, 6, 15), WhenLocalTimePassed.Skip));
        var nextDay = await CampaignAsync(client, [berlin.Id], c => (c.LocalTime, c.SendDate) = (new TimeOnly(10, 0), new DateOnly(2026, 6, 15)));

        var skipped = await ScheduleAsync(client, skip);
        await ScheduleAsync(client, nextDay);

        Assert.Equal(1, skipped.Tally!.Recipients);
        Assert.Equal(1, skipped.Tally.Excluded["local_time_passed"]);
        await using var db = _database.CreateDbContext();
        var recipient = await db.CampaignRecipients.SingleAsync(r => r.CampaignId == skip.Id && r.LeadId == berlin.Id);
        Assert.Equal(CampaignExclusion.LocalTimePassed, recipient.Excluded);
        Assert.Equal(new DateTimeOffset(2026, 6, 16, 8, 0, 0, TimeSpan.Zero), (await MessageToAsync(nextDay, berlin)).SendAfter);
    }

    [Fact]
    public async Task AThrottledCampaignReleasesAtMostItsRateInAMinute()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", credits: 10);
        var leads = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            leads.Add((await LeadAsync(client, $"+1415555{i:0000}", "America/Los_Angeles")).Id);
        }

        var campaign = await CampaignAsync(client, leads, c => c.ThrottlePerMinute = 2);
        await ScheduleAsync(client, campaign);

        await Eventually.WaitAsync(() => CountAsync(campaign, MessageStatus.Queued), queued => queued == 2, "the first minute's two messages");
        await Task.Delay(TimeSpan.FromSeconds(1)); // ten rounds of the pass, all in the same minute
        Assert.Equal(2L, await CountAsync(campaign, MessageStatus.Queued));

        _clock.Now += TimeSpan.FromMinutes(1);
        await Eventually.WaitAsync(() => CountAsync(campaign, MessageStatus.Queued), queued => queued == 4, "the second minute's two more");
    }

    [Fact]
    public async Task APausedCampaignReleasesNothingUntilResumed()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", credits: 10);
        var lead = await LeadAsync(client, "+14155550123", "America/Los_Angeles");
        var campaign = await CampaignAsync(client, [lead.Id], c => c.SendAt = SummerMorning.AddMinutes(5));
        await ScheduleAsync(client, campaign);
        var control = _scheduler.Services.GetRequiredService<CampaignControl>();

        await using (var scope = _scheduler.Services.CreateAsyncScope())
        {
            Assert.True((await control.PauseAsync(scope.ServiceProvider.GetRequiredService<Data.SmsDbContext>(), client.Id, campaign.Id, default)).Changed);
        }

        _clock.Now = SummerMorning.AddMinutes(10);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(MessageStatus.Scheduled, (await MessageToAsync(campaign, lead)).Status);

        await using (var scope = _scheduler.Services.CreateAsyncScope())
        {
            Assert.True((await control.ResumeAsync(scope.ServiceProvider.GetRequiredService<Data.SmsDbContext>(), client.Id, campaign.Id, default)).Changed);
        }

        await Eventually.WaitAsync(() => MessageToAsync(campaign, lead), m => m.Status == MessageStatus.Queued, "the message to be released once resumed");
    }

    [Fact]
    public async Task ACampaignWithNothingLeftToSendCompletesAndReleasesWhatItDidNotSpend()
    {
        var client = await Arrange.ClientAsync(_database, "UTC", credits: 10);
        var first = await LeadAsync(client, "+14155550123", "America/Los_Angeles");
        var second = await LeadAsync(client, "+14155550124", "America/Los_Angeles");
        var campaign = await CampaignAsync(client, [first.Id, second.Id], _ => { });
        await ScheduleAsync(client, campaign);
        Assert.Equal((10L, 2L), await CreditsAsync(client));

        await Eventually.WaitAsync(() => CountAsync(campaign, MessageStatus.Queued), queued => queued == 2, "both released");
        // The Dispatcher (not running here) would claim both; one is debited and sent, the other settled unsent.
        var sent = await MessageToAsync(campaign, first);
        await _database.ExecuteAsync("""
            WITH claimed AS (UPDATE messages SET status = 'sent', attempts = 1 WHERE id = $1 RETURNING id, client_id, campaign_id)
            INSERT INTO credit_transactions (client_id, amount, kind, message_id, campaign_id, created_at)
            SELECT client_id, -1, 'sms_debit', id, campaign_id, now() FROM claimed
            """, sent.Id);
        Assert.Equal((9L, 1L), await CreditsAsync(client));
        await _database.ExecuteAsync("UPDATE messages SET status = 'suppressed' WHERE id = $1", (await MessageToAsync(campaign, second)).Id);

        var completed = await Eventually.WaitAsync(() => CampaignRowAsync(campaign), c => c.Status == CampaignStatus.Completed, "the campaign to complete");

        Assert.NotNull(completed.SettledAt);
        Assert.Equal((9L, 0L), await CreditsAsync(client));
        await using var db = _database.CreateDbContext();
        var account = await CampaignHold.AccountAsync(db, campaign.Id, default);
        Assert.Equal((2L, 1L, 1L, 0L), (account.Reserved, account.Spent, account.Released, account.Held));
    }

    [Fact]
    public async Task ACancelWhileTheDispatcherDebitsOneOfItsMessagesWaitsForItInsteadOfDeadlocking()
    {
        // Berlin's message released at its 10:00, Los Angeles's still scheduled: the cancel has something to release.
        var client = await Arrange.ClientAsync(_database, "UTC", credits: 10);
        var losAngeles = await LeadAsync(client, "+14155550123", "America/Los_Angeles");
        var berlin = await LeadAsync(client, "+4915123456789", timezone: null);
        var campaign = await CampaignAsync(client, [losAngeles.Id, berlin.Id], c => (c.LocalTime, c.SendDate) = (new TimeOnly(10, 0), new DateOnly(2026, 6, 15)));
        await ScheduleAsync(client, campaign);
        _clock.Now = TenInBerlin;
        var claimed = await Eventually.WaitAsync(() => MessageToAsync(campaign, berlin), m => m.Status == MessageStatus.Queued, "the Berlin message released");

        // The Dispatcher's claim, in its order: the client's row first, the message, then its debit (which names the
        // campaign, so its foreign key takes a key-share lock on the campaign's row). Held open while the cancel runs.
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var claim = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, claim, "SELECT 1 FROM clients WHERE id = $1 FOR NO KEY UPDATE", client.Id);
        await ExecuteAsync(connection, claim, "UPDATE messages SET status = 'sending', attempts = 1 WHERE id = $1", claimed.Id);

        var cancel = CancelAsync(client, campaign);
        // The cancel locks the campaign, cancels Los Angeles's message, and its release then waits for the client's row.
        await Eventually.WaitAsync(() => _database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%release%'"),
            waiting => waiting == 1, "the cancel's release to wait for the client's row");

        // Before: the campaign's row was locked FOR UPDATE, which a foreign key's check waits for, so this debit waited
        // for the cancel while the cancel waited for this claim, and PostgreSQL aborted one of them (40P01).
        await ExecuteAsync(connection, claim, """
            INSERT INTO credit_transactions (client_id, amount, kind, message_id, campaign_id, created_at)
            VALUES ($1, -1, 'sms_debit', $2, $3, now())
            """, client.Id, claimed.Id, campaign.Id);
        await claim.CommitAsync();

        Assert.True((await cancel.WaitAsync(TimeSpan.FromSeconds(30))).Changed);
        Assert.Equal(MessageStatus.Canceled, (await MessageToAsync(campaign, losAngeles)).Status);
        await using var db = _database.CreateDbContext();
        var account = await CampaignHold.AccountAsync(db, campaign.Id, default);
        Assert.Equal((2L, 1L, 1L, 0L), (account.Reserved, account.Spent, account.Released, account.Held));
        Assert.Equal((9L, 0L), await CreditsAsync(client));
    }

    private async Task<CampaignChange> CancelAsync(Client client, Campaign campaign)
    {
        await using var scope = _scheduler.Services.CreateAsyncScope();
        var control = scope.ServiceProvider.GetRequiredService<CampaignControl>();
        return await control.CancelAsync(scope.ServiceProvider.GetRequiredService<Data.SmsDbContext>(), client.Id, campaign.Id, default);
    }

    private static async Task ExecuteAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, string sql, params object[] parameters)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<Lead> LeadAsync(Client client, string phone, string? timezone)
    {
        // As the operator would for a client that texts Germany too: DE allowed and priced.
        if (phone.StartsWith("+49", StringComparison.Ordinal))
        {
            await _database.ExecuteAsync("UPDATE clients SET allowed_countries = '{DE}' WHERE id = $1", client.Id);
            await _database.ExecuteAsync(
                "INSERT INTO destination_prices (country, credits_per_segment, updated_at) VALUES ('DE', 1, now()) ON CONFLICT DO NOTHING");
        }

        await using var db = _database.CreateDbContext();
        var lead = new Lead { ClientId = client.Id, Phone = phone, FirstName = "Ada", Timezone = timezone };
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        return lead;
    }

    private async Task<Campaign> CampaignAsync(Client client, List<Guid> leadIds, Action<Campaign> configure)
    {
        await using var db = _database.CreateDbContext();
        var campaign = new Campaign { ClientId = client.Id, Name = "Summer sale", LeadIds = leadIds, Body = "Summer sale: 20% off today only." };
        configure(campaign);
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        return campaign;
    }

    private async Task<CampaignScheduleResult> ScheduleAsync(Client client, Campaign campaign)
    {
        await using var scope = _scheduler.Services.CreateAsyncScope();
        var scheduling = scope.ServiceProvider.GetRequiredService<CampaignScheduling>();
        return await scheduling.ScheduleAsync(scope.ServiceProvider.GetRequiredService<Data.SmsDbContext>(), client.Id, campaign.Id, default);
    }

    private async Task<Message> MessageToAsync(Campaign campaign, Lead lead)
    {
        await using var db = _database.CreateDbContext();
        return await db.Messages.AsNoTracking().SingleAsync(m => m.CampaignId == campaign.Id && m.LeadId == lead.Id);
    }

    private async Task<Campaign> CampaignRowAsync(Campaign campaign)
    {
        await using var db = _database.CreateDbContext();
        return await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == campaign.Id);
    }

    private Task<long> CountAsync(Campaign campaign, MessageStatus status) => _database.ScalarAsync<long>(
        "SELECT count(*) FROM messages WHERE campaign_id = $1 AND status = $2", campaign.Id, Data.SnakeCaseEnumConverter.ToSnakeCase(status));

    private async Task<(long Balance, long Reserved)> CreditsAsync(Client client)
    {
        await using var db = _database.CreateDbContext();
        var row = await db.Clients.AsNoTracking().Where(c => c.Id == client.Id).Select(c => new { c.CreditBalance, c.CreditsReserved }).SingleAsync();
        return (row.CreditBalance, row.CreditsReserved);
    }
}
