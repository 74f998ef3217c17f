using SmsRemarketing.Contracts;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Domain.Messages;

/// <summary>
/// The one way a message is queued, whatever asked for it (a manual send, a webhook, a trigger): checks the
/// client, its credit and the lead's consent, renders the body, and adds the <c>queued</c> message and its
/// <see cref="SendSmsRequested"/> outbox row to the caller's DbContext's unit of work. The caller saves, so the
/// message, the event and anything else it writes (an idempotency record, a trigger firing) commit together.
/// No credit is taken here: the Dispatcher debits one per attempt when it sends.
/// A send to an opted-out lead is not refused but recorded: the message is added as <c>suppressed</c> with the
/// reason, with no event and so no credit (<see cref="QueueResult.IsSuppressed"/>).
/// </summary>
public sealed class OutgoingMessages(TimeProvider time)
{
    /// <summary>Twilio refuses longer bodies (10 segments of GSM-7 is 1,530 characters; 1,600 is the hard cap).</summary>
    public const int MaxBodyLength = 1600;

    public QueueResult Enqueue(SmsDbContext db, QueueMessage request)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        var (client, lead, template) = (request.Client, request.Lead, request.Template);

        if (lead.ClientId != client.Id || (template is not null && template.ClientId != client.Id))
        {
            return QueueResult.Rejected(MessageRejection.WrongClient, "The lead or template belongs to another client.");
        }

        if (!client.IsActive)
        {
            return QueueResult.Rejected(MessageRejection.ClientInactive, "The client is inactive.");
        }

        // A suppressed send costs nothing, so it is recorded even when no credit is left.
        if (client.CreditBalance < 1 && lead.OptedOutAt is null)
        {
            return QueueResult.Rejected(MessageRejection.NoCredit, "The client has no credit left.");
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

        var now = time.GetUtcNow();
        var suppressed = lead.OptedOutAt is not null;
        var message = new Message
        {
            ClientId = client.Id,
            LeadId = lead.Id,
            TemplateId = template?.Id,
            TriggerId = request.TriggerId,
            Source = request.Source,
            ToPhone = lead.Phone,
            Body = body,
            Segments = SmsSegments.Analyze(body).Segments,
            Status = suppressed ? MessageStatus.Suppressed : MessageStatus.Queued,
            ErrorMessage = suppressed ? OptedOutReason(lead.OptedOutAt!.Value) : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Messages.Add(message);
        if (suppressed)
        {
            return QueueResult.Suppressed(message, MessageRejection.OptedOut, message.ErrorMessage!);
        }

        db.AddOutboxMessage(new SendSmsRequested { MessageId = message.Id, ClientId = client.Id, RequestedAt = now });
        return QueueResult.Queued(message);
    }

    private static string OptedOutReason(DateTimeOffset optedOutAt) =>
        $"Suppressed: the lead opted out at {optedOutAt:O}.";
}
