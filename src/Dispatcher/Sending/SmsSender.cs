using System.Diagnostics;
using Microsoft.Extensions.Options;
using SmsRemarketing.Domain.Messages.Lifecycle;
using SmsRemarketing.Domain.Privacy;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Dispatcher.Sending;

/// <summary>
/// Sends one message exactly once: claims and debits it (<see cref="MessageTransitions"/>), asks Twilio, retries what
/// Twilio cannot have processed (429, no connection) with backoff, jitter and Retry-After, and after any answer that
/// may follow a create (lost, unreadable, 5xx) asks Twilio whether the message exists before any resend. Before each
/// request it checks that the message is still its own to send (<see cref="MessageTransitions.TakeAttemptAsync"/>).
/// </summary>
internal sealed partial class SmsSender(
    MessageTransitions transitions,
    TwilioMessagesClient twilio,
    SenderRateLimiter rateLimiter,
    IOptions<DispatcherOptions> dispatcherOptions,
    IOptions<TwilioOptions> twilioOptions,
    ILogger<SmsSender> logger)
{
    /// <summary>
    /// The StatusCallback URL's query parameter that carries our message id; Twilio signs the URL, so the Api's status
    /// callback can trust it.
    /// </summary>
    public const string MessageIdParameter = "message_id";

    // Twilio's date_created is to the second, and its clock is not ours.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    // A hold younger than this needs no re-check before its first request: any check leaves a window until Twilio's
    // answer, and a read a few milliseconds after the claim would cost every SMS a round trip for nothing. A pacing
    // wait longer than this (a 1 msg/s sender's backlog) is re-checked.
    private static readonly TimeSpan FreshHold = TimeSpan.FromSeconds(1);

    // Room left between a request's end and the moment a reconciler may take the message over.
    private static readonly TimeSpan TakeOverMargin = TimeSpan.FromSeconds(10);

    private readonly DispatcherOptions _options = dispatcherOptions.Value;
    private readonly TwilioOptions _twilio = twilioOptions.Value;

    public async Task<SendOutcome> SendAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var (claim, settled) = await transitions.ClaimAsync(messageId, cancellationToken);
        if (claim is null || settled is not null)
        {
            Record(claim, settled ?? SendOutcome.Duplicate, null);
            return settled ?? SendOutcome.Duplicate;
        }

        DispatcherTelemetry.CreditsDebited.Add(1);
        return await DeliverAsync(claim, new Hold(claim.AttemptStartedAt, Stopwatch.GetTimestamp()), firstAttemptCounted: true, cancellationToken);
    }

    /// <summary>
    /// Finishes a message already in <c>sending</c> whose outcome is unknown (the reconciler's entry, after
    /// <see cref="MessageTransitions.TakeOverStuckAsync"/>): if a status callback tied a SID to it, or Twilio has it, it
    /// is sent; if not, it is sent now, unless the rules say it may not go now (<see cref="ClaimedMessage.UnlessAtTwilio"/>).
    /// Failures of the look-up are thrown: the message stays <c>sending</c> for a later round.
    /// </summary>
    public async Task<SendOutcome> ResumeAsync(ClaimedMessage claim, CancellationToken cancellationToken)
    {
        if (await transitions.ReadHoldAsync(claim.Id, cancellationToken) is not { } current)
        {
            Record(claim, SendOutcome.Duplicate, null);
            return SendOutcome.Duplicate;
        }

        var sender = SenderFor(claim);
        // Any of the message's attempts may have created it: look from when it was claimed first.
        if (await FindAsync(claim, sender, current, since: claim.AttemptStartedAt, cancellationToken) is { } found)
        {
            return await MarkSentAsync(claim, found.Sid, found.From);
        }

        if (claim.UnlessAtTwilio is { } notNow)
        {
            await transitions.SettleAsync(claim, notNow, cancellationToken);
            var outcome = MessageLifecycle.OutcomeOf(notNow.Status);
            Record(claim, outcome, null);
            return outcome;
        }

        return await DeliverAsync(claim, new Hold(current.HeldSince, Stopwatch.GetTimestamp()), firstAttemptCounted: false, cancellationToken);
    }

    private async Task<SendOutcome> DeliverAsync(ClaimedMessage claim, Hold hold, bool firstAttemptCounted, CancellationToken cancellationToken)
    {
        var sender = SenderFor(claim);
        var statusCallback = StatusCallbackFor(claim.Id);
        TwilioSendResult? last = null;
        for (var attempt = 1; attempt <= _options.MaxAttempts; attempt++)
        {
            await rateLimiter.WaitAsync(sender, cancellationToken);

            // After the pacing wait, which can be long: the message may have been settled or taken over meanwhile.
            var (taken, settled) = await TakeAttemptAsync(claim, hold, countAttempt: attempt > 1 || !firstAttemptCounted, cancellationToken);
            if (settled is { } outcome)
            {
                return outcome;
            }

            hold = taken;
            var started = Stopwatch.GetTimestamp();
            last = await twilio.SendAsync(claim.To, sender, claim.Body, statusCallback, cancellationToken);
            DispatcherTelemetry.TwilioRequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            switch (last)
            {
                case SendAccepted accepted:
                    return await MarkSentAsync(claim, accepted.Sid, accepted.Message.From);

                case SendRejected rejected:
                    // Twilio processed and refused it: nothing was created, so nothing is charged (the debit comes
                    // back with the failed status). A recipient who opted out at Twilio is opted out here too.
                    var optedOut = TwilioErrorCodes.IsOptOut(rejected.Code);
                    await transitions.MarkFailedAsync(claim, rejected.Code, rejected.Message, optedOut, CancellationToken.None);
                    Record(claim, SendOutcome.Failed, rejected.Code);
                    return SendOutcome.Failed;

                case SendTransient { MayExist: true } failed:
                    // A 5xx can follow a create that took effect (Twilio's own, or a gateway's in front of it).
                    LogTransient(claim.Id, attempt, failed.HttpStatus, failed.Code, PhoneRedaction.InText(failed.Message));
                    var backoff = RetryDelay(attempt, failed.RetryAfter);
                    var wait = backoff > _options.ReconcileDelay ? backoff : _options.ReconcileDelay;
                    if (await LookUpAsync(claim, sender, hold.Since, $"HTTP {failed.HttpStatus}: {failed.Message}", wait, cancellationToken) is { } found)
                    {
                        return found;
                    }

                    break;

                case SendTransient transient:
                    if (transient.HttpStatus == 429)
                    {
                        DispatcherTelemetry.TwilioThrottled.Add(1);
                    }

                    LogTransient(claim.Id, attempt, transient.HttpStatus, transient.Code, PhoneRedaction.InText(transient.Message));
                    if (attempt < _options.MaxAttempts)
                    {
                        await Task.Delay(RetryDelay(attempt, transient.RetryAfter), cancellationToken);
                    }

                    break;

                case SendAmbiguous ambiguous:
                    LogAmbiguous(claim.Id, PhoneRedaction.InText(ambiguous.Reason));
                    if (await LookUpAsync(claim, sender, hold.Since, ambiguous.Reason, _options.ReconcileDelay, cancellationToken) is { } resolved)
                    {
                        return resolved;
                    }

                    break;
            }
        }

        // Every attempt failed, and Twilio has none of them: nothing was sent (and the failed status gives the credit back).
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
    /// Whether this sender may make its next request: the message is still <c>sending</c>, has no SID, and no one
    /// took it over. A read is enough while no reconciler could take it over before the request ends; otherwise its
    /// clock is moved. Returns the hold to keep, or how the message was settled meanwhile.
    /// </summary>
    private async Task<(Hold Hold, SendOutcome? Settled)> TakeAttemptAsync(
        ClaimedMessage claim, Hold hold, bool countAttempt, CancellationToken cancellationToken)
    {
        var held = Stopwatch.GetElapsedTime(hold.ObtainedAt);
        if (!countAttempt && held < FreshHold)
        {
            // The claim (or read) that gave this hold is itself the check: no pacing wait came between.
            return (hold, null);
        }

        if (!countAttempt && held + _twilio.RequestTimeout + TakeOverMargin < _options.StuckAfter)
        {
            var current = await transitions.ReadHoldAsync(claim.Id, cancellationToken);
            return current is { RecordedSid: null } && current.HeldSince == hold.Since
                ? (hold, null)
                : (hold, await SettledMeanwhileAsync(claim, current));
        }

        if (await transitions.TakeAttemptAsync(claim.Id, hold.Since, countAttempt, cancellationToken) is { } moved)
        {
            return (new Hold(moved, Stopwatch.GetTimestamp()), null);
        }

        return (hold, await SettledMeanwhileAsync(claim, await transitions.ReadHoldAsync(claim.Id, cancellationToken)));
    }

    /// <summary>The message left this sender's hands: a status callback tied a SID to it, or it was settled or taken over.</summary>
    private async Task<SendOutcome> SettledMeanwhileAsync(ClaimedMessage claim, SendingHold? current)
    {
        if (current is { RecordedSid: { } sid })
        {
            return await MarkSentAsync(claim, sid, null);
        }

        LogNotMine(claim.Id);
        Record(claim, SendOutcome.Duplicate, null);
        return SendOutcome.Duplicate;
    }

    /// <summary>
    /// After an answer that may follow a create: waits, then looks for the message. Null when Twilio does not have it
    /// (resending is safe); the outcome otherwise. A look-up that fails leaves the message to the reconciler.
    /// </summary>
    private async Task<SendOutcome?> LookUpAsync(
        ClaimedMessage claim, TwilioSender sender, DateTimeOffset attemptAt, string reason, TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken);
        (string Sid, string? From)? found;
        try
        {
            if (await transitions.ReadHoldAsync(claim.Id, cancellationToken) is not { } current)
            {
                // Settled meanwhile, e.g. moved to sent by a status callback that carried its id.
                Record(claim, SendOutcome.Duplicate, null);
                return SendOutcome.Duplicate;
            }

            found = await FindAsync(claim, sender, current, attemptAt, cancellationToken);
        }
        catch (Exception exception) when (exception is TwilioApiException or HttpRequestException or IOException
                                           || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await transitions.MarkUnknownAsync(claim.Id, reason, CancellationToken.None);
            Record(claim, SendOutcome.Unknown, null);
            return SendOutcome.Unknown;
        }

        return found is { } message ? await MarkSentAsync(claim, message.Sid, message.From) : null;
    }

    /// <summary>The SID a status callback recorded for this message, else the message at Twilio that is this one.</summary>
    private async Task<(string Sid, string? From)?> FindAsync(
        ClaimedMessage claim, TwilioSender sender, SendingHold current, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (current.RecordedSid is { } recorded)
        {
            return (recorded, null);
        }

        return await FindAtTwilioAsync(claim, sender, since, cancellationToken) is { } found ? (found.Sid, found.From) : null;
    }

    /// <summary>
    /// The message Twilio created for this claim, if any: to the same recipient from the same sender (Twilio filters
    /// To and From; a Messaging Service is filtered here), created at or after <paramref name="since"/> (less the
    /// clock skew), and not already the SID of one of our messages. The same body is preferred but not required:
    /// Twilio may shorten links, smart-encode or redact it; then the likest body wins. A message whose body is exactly
    /// another of ours to this lead is that one's, even before its own look-up records its SID: taking it would mark
    /// this message sent though Twilio never had it, and that one would be sent again (make chaos, twilio-faults: a
    /// 500 before anything was stored, looked up while another send to the number had its answer lost).
    /// </summary>
    private async Task<TwilioMessage?> FindAtTwilioAsync(ClaimedMessage claim, TwilioSender sender, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var page = await twilio.ListAsync(claim.To, from: sender.From, pageSize: 50, cancellationToken: cancellationToken);
        var earliest = since - ClockSkew;
        var candidates = page.Messages
            .Where(m => (m.DateCreated is null || m.DateCreated >= earliest)
                        && (sender.MessagingServiceSid is null || string.Equals(m.MessagingServiceSid, sender.MessagingServiceSid, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var known = await transitions.KnownSidsAsync([.. candidates.Select(m => m.Sid)], cancellationToken);
        var othersBodies = await transitions.BodiesOfOtherMessagesAsync(
            claim.Id, claim.LeadId, [.. candidates.Where(m => m.Body is not null && m.Body != claim.Body).Select(m => m.Body!).Distinct()], cancellationToken);
        return candidates
            .Where(m => !known.Contains(m.Sid) && (m.Body is null || !othersBodies.Contains(m.Body)))
            .OrderByDescending(m => m.Body == claim.Body)
            .ThenByDescending(m => Likeness(m.Body, claim.Body))
            .ThenBy(m => m.DateCreated)
            .FirstOrDefault();
    }

    private async Task<SendOutcome> MarkSentAsync(ClaimedMessage claim, string sid, string? from)
    {
        await transitions.MarkSentAsync(claim.Id, sid, from, CancellationToken.None);
        Record(claim, SendOutcome.Sent, null);
        return SendOutcome.Sent;
    }

    /// <summary>Characters two bodies share at their start and end: what survives a shortened link or a re-encoded quote.</summary>
    private static int Likeness(string? stored, string posted)
    {
        if (stored is null)
        {
            return 0;
        }

        var prefix = 0;
        while (prefix < stored.Length && prefix < posted.Length && stored[prefix] == posted[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < stored.Length - prefix && suffix < posted.Length - prefix && stored[^(suffix + 1)] == posted[^(suffix + 1)])
        {
            suffix++;
        }

        return prefix + suffix;
    }

    /// <summary>The configured StatusCallback with our message id added to its query (a fragment, e.g. <c>#rc=</c>, stays last).</summary>
    private Uri? StatusCallbackFor(Guid messageId)
    {
        if (_twilio.StatusCallbackUrl is not { } url)
        {
            return null;
        }

        var builder = new UriBuilder(url);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + MessageIdParameter + "=" + messageId.ToString("D");
        return builder.Uri;
    }

    private TwilioSender SenderFor(ClaimedMessage claim)
    {
        if (claim.ClientMessagingServiceSid is { } service)
        {
            return TwilioSender.FromMessagingService(service);
        }

        if (claim.ClientFromNumber is { } from)
        {
            return TwilioSender.FromNumber(from);
        }

        // DispatcherExtensions validates at start that one of the two is configured.
        return _twilio.MessagingServiceSid is { Length: > 0 } defaultService
            ? TwilioSender.FromMessagingService(defaultService)
            : TwilioSender.FromNumber(_twilio.DefaultFrom ?? throw new InvalidOperationException("Twilio:DefaultFrom or Twilio:MessagingServiceSid must be configured."));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId}: settled or taken over by another sender meanwhile; not sending it")]
    private partial void LogNotMine(Guid messageId);

    /// <summary>The message's clock as this sender last set or read it, and when (locally) that was.</summary>
    private readonly record struct Hold(DateTimeOffset Since, long ObtainedAt);
}
