using Microsoft.Extensions.Options;
using SmsRemarketing.Messaging;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>The main lane (manual sends, triggers, confirmations): <c>send-sms</c>, <see cref="DispatcherOptions.ConcurrentMessageLimit"/> in flight.</summary>
internal sealed class SendSmsConsumerDefinition(IOptions<DispatcherOptions> options, IOptions<DatabaseRetryOptions> retry)
    : SmsLaneDefinition<SendSmsConsumer>("send-sms", options.Value.ConcurrentMessageLimit, retry.Value);
