using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// The campaign lane: its own queue (<c>send-campaign-sms</c>), and at most
/// <see cref="DispatcherOptions.CampaignConcurrentMessageLimit"/> of its SMS in flight, so the main lane
/// (<see cref="SendSmsConsumerDefinition"/>) keeps the rest of the Dispatcher's slots however long a campaign drains.
/// </summary>
internal sealed class SendCampaignSmsConsumerDefinition(IOptions<DispatcherOptions> options, IOptions<DatabaseRetryOptions> retry)
    : SmsLaneDefinition<SendCampaignSmsConsumer>("send-campaign-sms", options.Value.CampaignConcurrentMessageLimit, retry.Value);
