using Microsoft.Extensions.Options;
using SmsRemarketing.TwilioEmulator.Faults;
using SmsRemarketing.TwilioEmulator.Messages;

namespace SmsRemarketing.TwilioEmulator.Callbacks;

/// <summary>
/// Moves each accepted message through Twilio's statuses, one step per CallbackStepDelayMs:
/// queued → sending → sent → delivered (or undelivered for the UndeliveredTo numbers), with a messaging service
/// accepted → queued → …. Every step after the initial status triggers a callback, in order (each waits for the
/// previous POST to finish).
/// </summary>
internal sealed class DeliverySimulator(
    MessageStore store,
    FaultInjector faults,
    StatusCallbackSender callbacks,
    IOptions<EmulatorOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<DeliverySimulator> logger)
{
    private static readonly string[] AfterQueued = ["sending", "sent"];

    public void Start(StoredMessage message) => _ = RunAsync(message, store.Generation);

    // Nothing awaits this task, so it must not throw.
    private async Task RunAsync(StoredMessage message, CancellationToken generation)
    {
        try
        {
            // Stops when the store is reset or the host stops.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(generation, lifetime.ApplicationStopping);
            await RunStepsAsync(message, stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Delivery of {MessageSid} stopped", message.Sid);
        }
    }

    private async Task RunStepsAsync(StoredMessage message, CancellationToken stop)
    {
        var settings = faults.Current;
        var undelivered = settings.UndeliveredTo.Contains(message.To, StringComparer.Ordinal);
        var steps = new List<(string Status, int? ErrorCode)>();
        if (message.MessagingServiceSid is not null)
        {
            steps.Add(("queued", null));
        }

        steps.AddRange(AfterQueued.Select(s => (s, (int?)null)));
        steps.Add(undelivered ? ("undelivered", settings.UndeliveredErrorCode) : ("delivered", null));

        foreach (var (status, errorCode) in steps)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(faults.Current.CallbackStepDelayMs), time, stop);
            message.Advance(status, time.GetUtcNow(), options.Value.MessagingServiceFrom, errorCode, ErrorMessage(errorCode));
            if (message.StatusCallback is not null)
            {
                await callbacks.SendAsync(message, status, errorCode, stop);
            }
        }
    }

    private static string? ErrorMessage(int? errorCode) => errorCode switch
    {
        null => null,
        30003 => "Unreachable destination handset",
        _ => "Message delivery failed",
    };
}
