using Microsoft.Extensions.DependencyInjection;
using MassTransit;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Dispatcher.Tests.Campaigns;

/// <summary>A campaign's messages on their own lane: paid from the campaign's reservation, once, and held by a pause or a cancel at the claim.</summary>
public sealed class CampaignLaneTests : DispatcherTest
{
    [Fact]
    public async Task ACampaignMessagePublishedTwiceOnItsLaneIsSentOnceAndPaidFromTheReservation()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 3);
        var campaign = await CampaignAsync(lead, CampaignStatus.Sending, reserve: 3);
        var message = await CampaignMessageAsync(campaign, lead);

        await PublishTwiceAsync(message);
        var sent = await WaitForStatusAsync(message.Id, MessageStatus.Sent);

        Assert.Single(await TwilioAdmin.GetMessagesAsync());
        Assert.NotNull(sent.TwilioSid);
        // The balance paid it, out of what the campaign held: what the client may spend otherwise is unchanged (0).
        Assert.Equal((2L, 2L), await CreditsAsync(client.Id));
        Assert.Equal(1L, await Database.ScalarAsync<long>(
            "SELECT count(*) FROM credit_transactions WHERE message_id = $1 AND kind = 'sms_debit' AND campaign_id = $2", message.Id, campaign.Id));
    }

    [Fact]
    public async Task AQueuedMessageOfAPausedCampaignGoesBackToWaitAndOneOfACanceledCampaignIsCanceledUnsentAndUncharged()
    {
        var (client, lead) = await ArrangeClientAsync(credits: 2);
        var paused = await CampaignAsync(lead, CampaignStatus.Paused, reserve: 1);
        var canceled = await CampaignAsync(lead, CampaignStatus.Canceled, reserve: 1);
        var held = await CampaignMessageAsync(paused, lead);
        var dropped = await CampaignMessageAsync(canceled, lead);

        await PublishTwiceAsync(held);
        await PublishTwiceAsync(dropped);

        var waiting = await WaitForStatusAsync(held.Id, MessageStatus.Scheduled);
        var gone = await WaitForStatusAsync(dropped.Id, MessageStatus.Canceled);
        Assert.Equal("Held: its campaign is paused.", waiting.ErrorMessage);
        Assert.Equal("Canceled with its campaign.", gone.ErrorMessage);
        Assert.Empty(await TwilioAdmin.GetMessagesAsync());
        Assert.Equal((2L, 2L), await CreditsAsync(client.Id));
    }

    private async Task<Campaign> CampaignAsync(Lead lead, CampaignStatus status, long reserve)
    {
        await using var db = Database.CreateDbContext();
        var campaign = new Campaign { ClientId = lead.ClientId, Name = "Sale", LeadIds = [lead.Id], Body = "Sale!", Status = status };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        await Database.ExecuteAsync(
            "INSERT INTO credit_transactions (client_id, amount, kind, campaign_id, created_at) VALUES ($1, $2, 'reserve', $3, now())",
            lead.ClientId, -reserve, campaign.Id);
        return campaign;
    }

    private async Task<Message> CampaignMessageAsync(Campaign campaign, Lead lead)
    {
        await using var db = Database.CreateDbContext();
        var message = new Message
        {
            ClientId = lead.ClientId, LeadId = lead.Id, CampaignId = campaign.Id, Source = MessageSource.Campaign, ToPhone = lead.Phone,
            Body = $"Sale! {campaign.Id:N}", Segments = 1, CreditCost = 1, QueuedAt = DateTimeOffset.UtcNow,
        };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return message;
    }

    private async Task PublishTwiceAsync(Message message)
    {
        var bus = Services.GetRequiredService<IBus>();
        for (var i = 0; i < 2; i++)
        {
            await bus.Publish(new SendCampaignSmsRequested
            {
                MessageId = message.Id, ClientId = message.ClientId, CampaignId = message.CampaignId!.Value, RequestedAt = DateTimeOffset.UtcNow,
            });
        }
    }

    private async Task<(long Balance, long Reserved)> CreditsAsync(Guid clientId) =>
        (await BalanceAsync(clientId), await Database.ScalarAsync<long>("SELECT credits_reserved FROM clients WHERE id = $1", clientId));
}
