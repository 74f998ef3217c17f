using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// Paces requests per sender so that the Dispatcher never provokes Twilio's 429s: a token bucket per From number
/// or Messaging Service, refilled every second with that sender's messages-per-second.
/// </summary>
internal sealed class SenderRateLimiter(IOptions<DispatcherOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<TwilioSender> _limiter = PartitionedRateLimiter.Create<TwilioSender, string>(sender =>
    {
        var perSecond = options.Value.SenderMessagesPerSecond > 0 ? options.Value.SenderMessagesPerSecond : DefaultPerSecond(sender);
        return RateLimitPartition.GetTokenBucketLimiter(sender.MessagingServiceSid ?? sender.From ?? "", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    });

    public async ValueTask WaitAsync(TwilioSender sender, CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(sender, 1, cancellationToken);
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>Twilio's documented defaults (docs/twilio.md, "Throughput"); 100 for a Messaging Service is ours (inferred: a service pools its senders).</summary>
    internal static int DefaultPerSecond(TwilioSender sender) => sender switch
    {
        { MessagingServiceSid: not null } => 100,
        { From: { } from } when !from.StartsWith('+') && from.Length <= 6 && from.All(char.IsAsciiDigit) => 30,
        { From: { } from } when IsNorthAmericanTollFree(from) => 3,
        _ => 1,
    };

    private static bool IsNorthAmericanTollFree(string from) =>
        from.Length == 12 && from.StartsWith("+18", StringComparison.Ordinal)
        && from.Substring(2, 3) is "800" or "833" or "844" or "855" or "866" or "877" or "888";
}
