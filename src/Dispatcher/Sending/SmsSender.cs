using System.Diagnostics;
using Microsoft.Extensions.Options;
using SmsRemarketing.Domain.Messages.Lifecycle;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// Sends one message exactly once: claims and debits it (<see cref="MessageTransitions"/>), asks Twilio, retries
/// only what Twilio did not process (429, 5xx, no connection) with backoff, jitter and Retry-After, and never
/// resends after an ambiguous answer without first asking Twilio whether the message exists.
/// </summary>
internal sealed partial class SmsSender(
    MessageTransitions transitions,
    TwilioMessagesClient twilio,
    SenderRateLimiter rateLimiter,
    IOptions<DispatcherOptions> dispatcherOptions,
    IOptions<TwilioOptions> twilioOptions,
    ILogger<SmsSender> logger)
{
    private readonly DispatcherOptions _options = dispatcherOptions.Value;

    public async Task<SendOutcome> SendAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var (claim, settled) = await transitions.ClaimAsync(messageId, cancellationToken);
        if (claim is null || settled is not null)
        {
            Record(claim, settled ?? SendOutcome.Duplicate, null);
            return settled ?? SendOutcome.Duplicate;
        }

        DispatcherTelemetry.CreditsDebited.Add(1);
        return await DeliverAsync(claim, firstAttemptRecorded: true, cancellationToken);
    }

    /// <summary>
    /// Finishes a message already in <c>sending</c> whose outcome is unknown (the reconciler's entry, after
    /// <see cref="MessageTransitions.TakeOverStuckAsync"/>): if Twilio has it, it is sent; if not, it is sent now,
    /// unless the rules say it may not go now (<see cref="ClaimedMessage.UnlessAtTwilio"/>).
    /// </summary>
    public async Task<SendOutcome> ResumeAsync(ClaimedMessage claim, CancellationToken cancellationToken)
    {
        if (await FindAtTwilioAsync(claim, cancellationToken) is { } found)
        {
            await transitions.MarkSentAsync(claim.Id, found.Sid, found.From, cancellationToken);
            Record(claim, SendOutcome.Sent, null);
            return SendOutcome.Sent;
        }

        if (claim.UnlessAtTwilio is { } notNow)
        {
            await transitions.SettleAsync(claim, notNow, cancellationToken);
            var outcome = MessageLifecycle.OutcomeOf(notNow.Status);
            Record(claim, outcome, null);
            return outcome;
        }

        return await DeliverAsync(claim, firstAttemptRecorded: false, cancellationToken);
    }

    private async Task<SendOutcome> DeliverAsync(ClaimedMessage claim, bool firstAttemptRecorded, CancellationToken cancellationToken)
    {
        var sender = SenderFor(claim);
        TwilioSendResult? last = null;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            if ((attempt > 1 || !firstAttemptRecorded) && !await transitions.RecordAttemptAsync(claim.Id, cancellationToken))
            {
                // Settled meanwhile by another sender (a reconciler that took over, or the one it took over from).
                Record(claim, SendOutcome.Duplicate, null);
                return SendOutcome.Duplicate;
            }

            await rateLimiter.WaitAsync(sender, cancellationToken);
            var started = Stopwatch.GetTimestamp();
            last = await twilio.SendAsync(claim.To, sender, claim.Body, cancellationToken: cancellationToken);
            DispatcherTelemetry.TwilioRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            switch (last)
            {
                case SendAccepted accepted:
                    await transitions.MarkSentAsync(claim.Id, accepted.Sid, accepted.Message.From, CancellationToken.None);
                    Record(claim, SendOutcome.Sent, null);
                    return SendOutcome.Sent;

                case SendRejected rejected:
                    // Twilio processed and refused it: nothing was created, so nothing is charged (the debit comes
                    // back with the failed status). A recipient who opted out at Twilio is opted out here too.
                    var optedOut = TwilioErrorCodes.IsOptOut(rejected.Code);
                    await transitions.MarkFailedAsync(claim, rejected.Code, rejected.Message, optedOut, CancellationToken.None);
                    Record(claim, SendOutcome.Failed, rejected.Code);
                    return SendOutcome.Failed;

                case SendTransient transient:
                    if (transient.HttpStatus == 429)
                    {
                        DispatcherTelemetry.TwilioThrottled.Add(1);
                    }

                    LogTransient(claim.Id, attempt, transient.HttpStatus, transient.Code, transient.Message);
                    if (attempt < _options.MaxAttempts)
                    {
                        await Task.Delay(RetryDelay(attempt, transient.RetryAfter), cancellationToken);
                    }

                    break;

                case SendAmbiguous ambiguous:
                    LogAmbiguous(claim.Id, ambiguous.Reason);
                    await Task.Delay(_options.ReconcileDelay, cancellationToken);
                    TwilioMessage? found;
                    try
                    {
                        found = await FindAtTwilioAsync(claim, cancellationToken);
                    }
                    catch (Exception exception) when (exception is TwilioApiException or HttpRequestException or TaskCanceledException)
                    {
                        await transitions.MarkUnknownAsync(claim.Id, ambiguous.Reason, CancellationToken.None);
                        Record(claim, SendOutcome.Unknown, null);
                        return SendOutcome.Unknown;
                    }

                    if (found is not null)
                    {
                        await transitions.MarkSentAsync(claim.Id, found.Sid, found.From, CancellationToken.None);
                        Record(claim, SendOutcome.Sent, null);
                        return SendOutcome.Sent;
                    }

                    // Twilio has no such message: the request never took effect, so sending again is safe.
                    break;
            }
        }

        // Every attempt failed before Twilio processed it: nothing was sent (and the failed status gives the credit back).
        var (code, error) = last switch
        {
            SendTransient t => (t.Code, $"Twilio did not accept the message after {_options.MaxAttempts} attempts: {t.Message}"),
            SendAmbiguous a => ((int?)null, $"Twilio did not accept the message after {_options.MaxAttempts} attempts: {a.Reason}"),
            _ => ((int?)null, "Twilio did not accept the message."),
        };
        await transitions.MarkFailedAsync(claim, code, error, optOutLead: false, CancellationToken.None);
        Record(claim, SendOutcome.Failed, code);
        return SendOutcome.Failed;
    }

    /// <summary>
    /// The message Twilio created for this claim, if any: same recipient and body, created since the message was
    /// queued, and not already the SID of another of our messages.
    /// </summary>
    private async Task<TwilioMessage?> FindAtTwilioAsync(ClaimedMessage claim, CancellationToken cancellationToken)
    {
        var page = await twilio.ListAsync(claim.To, pageSize: 50, cancellationToken: cancellationToken);
        foreach (var candidate in page.Messages)
        {
            if (candidate.Body == claim.Body
                && (candidate.DateCreated is null || candidate.DateCreated >= claim.AttemptStartedAt.AddMinutes(-5))
                && !await transitions.IsSidKnownAsync(candidate.Sid, cancellationToken))
            {
                return candidate;
            }
        }

        return null;
    }

    private TwilioSender SenderFor(ClaimedMessage claim)
    {
        var defaults = twilioOptions.Value;
        if (claim.ClientMessagingServiceSid is { } service)
        {
            return TwilioSender.FromMessagingService(service);
        }

        if (claim.ClientFromNumber is { } from)
        {
            return TwilioSender.FromNumber(from);
        }

        return defaults.MessagingServiceSid is { Length: > 0 } defaultService
            ? TwilioSender.FromMessagingService(defaultService)
            : TwilioSender.FromNumber(defaults.DefaultFrom ?? throw new InvalidOperationException("Twilio:DefaultFrom or Twilio:MessagingServiceSid must be configured."));
    }

    private TimeSpan RetryDelay(int attempt, TimeSpan? retryAfter)
    {
        var exponential = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        var jittered = exponential * (0.5 + Random.Shared.NextDouble());
        var delay = retryAfter is { } after && after > jittered ? after : jittered;
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    private static void Record(ClaimedMessage? claim, SendOutcome outcome, int? errorCode) =>
        DispatcherTelemetry.Outcomes.Add(1,
            new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("error_code", errorCode),
            new KeyValuePair<string, object?>("client_id", claim?.ClientId));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: attempt {Attempt} failed transiently ({HttpStatus}, Twilio code {Code}): {Error}")]
    private partial void LogTransient(Guid messageId, int attempt, int? httpStatus, int? code, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId}: Twilio's answer was lost ({Reason}); asking Twilio before any resend")]
    private partial void LogAmbiguous(Guid messageId, string reason);
}
