using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Messaging.Outbox;

namespace SmsRemarketing.Domain.Messages.Lifecycle;

/// <summary>The event that asks the Dispatcher to send a queued message, chosen once: a campaign's goes in the campaign lane.</summary>
public static class SendRequests
{
    /// <summary>Adds the message's send request to the outbox of <paramref name="db"/>'s unit of work.</summary>
    public static void AddSendRequest(this SmsDbContext db, Guid messageId, Guid clientId, Guid? campaignId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (campaignId is { } campaign)
        {
            db.AddOutboxMessage(new SendCampaignSmsRequested { MessageId = messageId, ClientId = clientId, CampaignId = campaign, RequestedAt = now });
        }
        else
        {
            db.AddOutboxMessage(new SendSmsRequested { MessageId = messageId, ClientId = clientId, RequestedAt = now });
        }
    }
}
