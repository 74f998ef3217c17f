using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Api.Idempotency;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Domain.Messages;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary>
/// To <see cref="LeadId"/>, either <see cref="TemplateId"/> (rendered with the lead and <see cref="Variables"/>) or a literal
/// <see cref="Body"/>. <see cref="Category"/>: marketing, transactional or conversational (default: the template's, else
/// marketing); quiet hours apply to marketing only. <see cref="IgnoreQuietHours"/> is gone (replaced by the category):
/// a request that still sends it is refused, so that its sender learns it would no longer go outside the window.
/// <see cref="SendAt"/>: an ISO 8601 instant with its offset (<c>2026-12-24T09:30:00-05:00</c>) to send it then
/// rather than now, at most <see cref="SendMessage.MaxAhead"/> ahead.
/// </summary>
internal sealed record SendMessageRequest(
    Guid? LeadId, Guid? TemplateId, string? Body, Dictionary<string, string?>? Variables, string? Category = null,
    JsonElement? IgnoreQuietHours = null, string? SendAt = null);

/// <summary>
/// <c>POST /messages/send</c>: the hot path, a handful of round trips and no more. With <c>send_at</c> the message is
/// stored <c>scheduled</c> until then, and the Scheduler's releaser applies the sending rules at that instant.
/// </summary>
internal static partial class SendMessage
{
    /// <summary>How far ahead a send may be scheduled.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(35);

    /// <summary>
    /// How far in the past a <c>send_at</c> may be and still mean "now" (due at once): the caller's clock may run
    /// behind ours, and a request takes time to arrive.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    public static async Task<Results<Accepted<MessageResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        SendMessageRequest request, HttpContext http, ClaimsPrincipal user, SmsDbContext db, OutgoingMessages outgoing, IdempotentSaves saves,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.LeadId is null)
        {
            errors.Add("lead_id", "This field is required.");
        }

        if ((request.TemplateId is null) == (request.Body is null))
        {
            errors.Add(request.TemplateId is null ? "body" : "template_id", "Give either template_id or body, not both and not neither.");
        }

        errors.Text("body", request.Body, OutgoingMessages.MaxBodyLength);
        errors.Variables("variables", request.Variables);
        var category = errors.Category("category", request.Category);
        if (request.IgnoreQuietHours is { ValueKind: not JsonValueKind.Null })
        {
            errors.Add("ignore_quiet_hours", "Replaced by \"category\": quiet hours apply to marketing only, so send a transactional or "
                + "conversational message (one the client may use) with its category; a marketing message waits for the window.");
        }

        var sendAt = ReadSendAt(errors, request.SendAt, time.GetUtcNow());
        if (errors.IsUnprocessable)
        {
            return errors.ToUnprocessable();
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        // One round trip for the lead and its client (their state now, not as cached for authentication).
        var target = await db.Leads.AsNoTracking()
            .Where(l => l.Id == request.LeadId && l.ClientId == clientId)
            .Select(l => new { Lead = l, Client = l.Client! })
            .SingleOrDefaultAsync(cancellationToken);
        if (target is null)
        {
            return ApiProblems.NotFound("lead");
        }

        Template? template = null;
        if (request.TemplateId is { } templateId)
        {
            template = await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId && t.ClientId == clientId, cancellationToken);
            if (template is null)
            {
                return ApiProblems.NotFound("template");
            }
        }

        var queued = await outgoing.EnqueueAsync(db, new QueueMessage
        {
            Client = target.Client,
            Lead = target.Lead,
            Template = template,
            Body = request.Body,
            Variables = request.Variables,
            Source = MessageSource.Manual,
            Category = category,
            SendAt = sendAt,
        }, cancellationToken);
        // A send to an opted-out lead is recorded as suppressed and answered 202 like any other: the send's outcome
        // is the message's status, which the Dispatcher can also settle as suppressed after a 202.
        if (!queued.IsQueued && !queued.IsSuppressed)
        {
            return QueueProblems.From(queued, http.Response);
        }

        var accepted = MessageResponse.Accepted(MessageResponse.Of(queued.Message!));
        await saves.SaveAsync(db, accepted, cancellationToken);
        return accepted;
    }

    /// <summary>
    /// The instant of <c>send_at</c>, or null (absent, or an error is added): not an instant with an offset is 400 (a
    /// time without one is ambiguous: whose clock?); in the past beyond <see cref="ClockSkew"/>, or more than
    /// <see cref="MaxAhead"/> ahead, is 422.
    /// </summary>
    private static DateTimeOffset? ReadSendAt(ValidationErrors errors, string? value, DateTimeOffset now)
    {
        if (value is null)
        {
            return null;
        }

        if (!Instant().IsMatch(value)
            || !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors.Add("send_at", "An ISO 8601 instant with its offset, e.g. 2026-12-24T09:30:00-05:00 or 2026-12-24T14:30:00Z.");
            return null;
        }

        if (at < now - ClockSkew)
        {
            errors.AddUnprocessable("send_at", $"In the past ({at.ToUniversalTime():O}; it is now {now:O}). Leave send_at out to send now.");
        }
        else if (at > now + MaxAhead)
        {
            errors.AddUnprocessable("send_at", $"At most {MaxAhead.TotalDays:0} days ahead: until {now + MaxAhead:O}.");
        }

        return at;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Instant();
}
