using SmsRemarketing.Contracts;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Delivery;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Domain.Messages;

/// <summary>
/// The one way a message is queued, whatever asked for it (a manual send, a webhook, a trigger): renders the body,
/// checks its length and segments, fixes its <see cref="Message.CreditCost"/>, then applies
/// <see cref="SendEligibility"/> (the client active, the number's consent, the destination, the daily caps, the
/// credit, and for marketing the frequency cap and quiet hours) and adds the message, with its <see cref="SendSmsRequested"/> outbox row when it is <c>queued</c>, to the
/// caller's DbContext's unit of work. The caller saves, so the message, the event and anything else it writes (an
/// idempotency record, a trigger firing) commit together. No credit is taken here: the Dispatcher debits the cost when
/// it claims the message, after applying the same rule again.
/// An inactive client, a destination the client may not text (or a country without a price), a daily cap reached, a
/// lack of credit, a manual marketing send outside the window and a manual send of a category the client may not use
/// are refused (nothing is recorded). A
/// send to an opted-out lead is recorded as <c>suppressed</c> with the reason, with no event and so no credit
/// (<see cref="QueueResult.IsSuppressed"/>). An automated send the policy defers is added as <c>scheduled</c> with
/// <see cref="Message.SendAfter"/> and no event: the Scheduler's releaser queues it when it is due. One the frequency
/// cap skips is added as <c>skipped</c>.
/// The cap is read under the lead's lock (<see cref="FrequencyCap.RecentSendsAsync"/>): to queue an automated marketing
/// message for a client with a cap, the caller is in a transaction and commits the message in it.
/// A send for later (<see cref="QueueMessage.SendAt"/>) is refused or recorded now only for what waiting cannot change:
/// the body, the category, an inactive client, the destination (refused), the number's consent (<c>suppressed</c>).
/// The credit, the daily caps, the sending window and the frequency cap are the releaser's to apply at that instant
/// (<see cref="Lifecycle.DeferredRelease"/>), so it is added as <c>scheduled</c> with <see cref="Message.SendAfter"/> =
/// <see cref="QueueMessage.SendAt"/> and no event, whatever they would say now.
/// </summary>
public sealed class OutgoingMessages(TimeProvider time)
{
    /// <summary>Twilio refuses longer bodies (10 segments of GSM-7 is 1,530 characters; 1,600 is the hard cap).</summary>
    public const int MaxBodyLength = 1600;

    public async Task<QueueResult> EnqueueAsync(SmsDbContext db, QueueMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var (client, lead, template) = (request.Client, request.Lead, request.Template);

        if (lead.ClientId != client.Id || (template is not null && template.ClientId != client.Id))
        {
            return QueueResult.Rejected(MessageRejection.WrongClient, "The lead or template belongs to another client.");
        }

        string body;
        if (template is not null)
        {
            var rendered = TemplateRenderer.Render(template.Body, TemplateVariables.For(lead, request.Variables));
            if (rendered.Errors.Count > 0)
            {
                return QueueResult.Rejected(MessageRejection.InvalidTemplate,
                    $"The template does not parse: {string.Join("; ", rendered.Errors)}.");
            }

            if (!rendered.Succeeded)
            {
                return QueueResult.Rejected(MessageRejection.MissingVariables,
                    $"No value and no default for: {string.Join(", ", rendered.MissingVariables)}.", rendered.MissingVariables);
            }

            body = rendered.Text!;
        }
        else
        {
            body = request.Body ?? "";
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return QueueResult.Rejected(MessageRejection.EmptyBody, "The message body is empty.");
        }

        if (body.Length > MaxBodyLength)
        {
            return QueueResult.Rejected(MessageRejection.BodyTooLong,
                $"The message is {body.Length} characters; at most {MaxBodyLength} can be sent.");
        }

        var segments = SmsSegments.Analyze(body);
        if (segments.Segments > client.MaxSegments)
        {
            return QueueResult.Rejected(MessageRejection.TooManySegments,
                $"The message renders to {segments.Segments} segments ({body.Length} characters, {segments.Encoding}); " +
                $"this client allows at most {client.MaxSegments}.");
        }

        // A number the client may not text is refused before it is priced: its country may have no price.
        var policy = SendingPolicy.Of(client);
        if (lead.OptedOutAt is null && policy.Destinations.Check(lead.Phone) is { } refused)
        {
            return QueueResult.Refused(MessageRejection.DestinationRefused, refused.Rule, refused.Detail, null);
        }

        // The cost is fixed now, with the segments it pays for (DestinationPricing): home by the client's plan, abroad by the table.
        var priced = await DestinationPricing.PriceAsync(db, client, lead.Phone, segments.Segments, cancellationToken);
        if (lead.OptedOutAt is null && priced.Refusal is { } unpriced)
        {
            return QueueResult.Refused(MessageRejection.DestinationRefused, unpriced.Rule, unpriced.Detail, null);
        }

        var cost = priced.CreditCost ?? 0;
        var now = time.GetUtcNow();
        var automated = request.Source != MessageSource.Manual;
        var category = request.Category ?? template?.Category ?? MessageCategory.Marketing;
        if (!automated && !client.AllowedCategories.Contains(category))
        {
            return QueueResult.Rejected(MessageRejection.CategoryNotAllowed,
                $"This client may not send {MessageCategories.Name(category)} messages; its allowed categories are "
                + $"{MessageCategories.Names(client.AllowedCategories)} (the operator sets them).");
        }

        var later = request.SendAt is not null;
        var history = automated && !later && client.FrequencyCaps.Count > 0 && lead.OptedOutAt is null && policy.RulesFor(category) == MessageCategory.Marketing
            ? await RecentAutomatedSendsAsync(db, request, now, cancellationToken)
            : [];
        var recipient = db.Entry(lead).State == EntityState.Added
            ? await UnsavedRecipientAsync(db, client, lead, cancellationToken)
            : Recipient.Of(lead);
        var spent = !later && policy.Destinations.HasDailyCap && recipient.OptedOutAt is null
            ? request.SpentToday ?? await DailySpend.ReadAsync(db, client.Id, client.Timezone, now, cancellationToken)
            : null;
        // For a send later, Prepaid only skips the credit and the daily caps: they are checked against the balance and
        // the day it goes out, at release, and no debit is taken before the claim either way.
        var eligibility = SendEligibility.Check(policy, recipient,
            new SendFacts(cost, automated, category, Prepaid: later, Confirmation: request.Source == MessageSource.Confirmation), history, now, spent);
        var message = new Message
        {
            ClientId = client.Id,
            LeadId = lead.Id,
            TemplateId = template?.Id,
            TriggerId = request.TriggerId,
            Source = request.Source,
            ToPhone = lead.Phone,
            Body = body,
            Segments = segments.Segments,
            CreditCost = cost,
            Category = category,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (request.SendAt is { } sendAt && eligibility.Outcome is EligibilityOutcome.Eligible or EligibilityOutcome.OutsideWindow
                or EligibilityOutcome.Deferred or EligibilityOutcome.Skipped)
        {
            // The window and the frequency cap say what they say at send_at, when the releaser asks them.
            (message.Status, message.SendAfter) = (MessageStatus.Scheduled, sendAt.ToUniversalTime());
            db.Messages.Add(message);
            return QueueResult.Queued(message);
        }

        switch (eligibility.Outcome)
        {
            case EligibilityOutcome.ClientInactive:
                return QueueResult.Rejected(MessageRejection.ClientInactive, eligibility.Reason!);
            case EligibilityOutcome.NoCredit:
                return QueueResult.Rejected(MessageRejection.NoCredit, eligibility.Reason!);
            case EligibilityOutcome.DestinationRefused:
                return QueueResult.Refused(MessageRejection.DestinationRefused, eligibility.Rule!, eligibility.Reason!, cost);
            case EligibilityOutcome.DailyCapReached:
                return QueueResult.Refused(MessageRejection.DailyCapReached, eligibility.Rule!, eligibility.Reason!, cost, eligibility.At);
            case EligibilityOutcome.OutsideWindow:
                return QueueResult.Rejected(MessageRejection.OutsideSendingWindow, eligibility.Reason!, retryAt: eligibility.At);
            case EligibilityOutcome.OptedOut:
                // Recorded, not refused: the send's outcome is the message's status. It costs nothing, so it is
                // recorded even when no credit is left.
                (message.Status, message.ErrorMessage) = (MessageStatus.Suppressed, eligibility.Reason);
                db.Messages.Add(message);
                return QueueResult.Suppressed(message, MessageRejection.OptedOut, eligibility.Reason!);
            case EligibilityOutcome.AwaitingConfirmation:
                (message.Status, message.ErrorMessage) = (MessageStatus.Suppressed, eligibility.Reason);
                db.Messages.Add(message);
                return QueueResult.Suppressed(message, MessageRejection.AwaitingConfirmation, eligibility.Reason!);
            case EligibilityOutcome.Skipped:
                (message.Status, message.ErrorMessage) = (MessageStatus.Skipped, eligibility.Reason);
                db.Messages.Add(message);
                return QueueResult.Suppressed(message, MessageRejection.FrequencyCapped, eligibility.Reason!);
            case EligibilityOutcome.Deferred:
                (message.Status, message.SendAfter, message.ErrorMessage) = (MessageStatus.Scheduled, eligibility.At, eligibility.Reason);
                db.Messages.Add(message);
                return QueueResult.Queued(message);
            default:
                (message.Status, message.QueuedAt) = (MessageStatus.Queued, now);
                db.Messages.Add(message);
                spent?.Add(cost);
                db.AddOutboxMessage(new SendSmsRequested { MessageId = message.Id, ClientId = client.Id, RequestedAt = now });
                return QueueResult.Queued(message);
        }
    }

    /// <summary>
    /// A lead added in this unit of work (a webhook fire that creates its lead) has no consent copied onto it yet: the
    /// database copies its number's on insert (migration <c>ConsentByPhone</c>), so it is read from the number here,
    /// by the same rule: opted out as the number is; waiting for a double opt-in when the client asks for one, the lead
    /// comes without consent proof, and the number never confirmed.
    /// </summary>
    private static async Task<Recipient> UnsavedRecipientAsync(SmsDbContext db, Client client, Lead lead, CancellationToken cancellationToken)
    {
        var consent = await db.Set<PhoneConsent>().AsNoTracking()
            .Where(c => c.ClientId == client.Id && c.Phone == lead.Phone)
            .Select(c => new { c.OptedOutAt, c.ConfirmedAt })
            .SingleOrDefaultAsync(cancellationToken);
        var awaiting = client.DoubleOptIn && (lead.ConsentSource is null || lead.ConsentAt is null) && consent?.ConfirmedAt is null;
        return Recipient.Of(lead) with { OptedOutAt = consent?.OptedOutAt, AwaitingConfirmation = awaiting };
    }

    /// <summary>The lead's counted automated sends: the caller's preloaded ones, else the database's and this unit of work's.</summary>
    private static async Task<List<DateTimeOffset>> RecentAutomatedSendsAsync(
        SmsDbContext db, QueueMessage request, DateTimeOffset now, CancellationToken cancellationToken) =>
        request.RecentAutomatedSends is { } preloaded
            ? [.. preloaded]
            : (await FrequencyCap.RecentSendsAsync(db, request.Client, [request.Lead.Id], now, cancellationToken)).GetValueOrDefault(request.Lead.Id) ?? [];
}
