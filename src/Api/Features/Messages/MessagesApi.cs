using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Api.Idempotency;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Domain.Messages;

namespace SmsRemarketing.Api.Features.Messages;

/// <summary>Manual sends and the message history. The send is the hot path: a handful of round trips, no more.</summary>
internal static class MessagesApi
{
    public static RouteGroupBuilder MapMessages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/messages").WithTags("Messages").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/send", SendAsync)
            .WithSummary("Queue an SMS to a lead (202). To an opted-out lead it is recorded as status suppressed (202) and never sent. " +
                "Outside the client's sending window (quiet hours, in the lead's time zone) it is refused (409, with window_opens_at) " +
                "unless ignore_quiet_hours is true; more segments than the client's max_segments is 422. " +
                "With Idempotency-Key, a retry within 24 h answers the first result and sends nothing.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).WithSummary("List messages, newest first; filter by status, lead and created_at range.");
        group.MapGet("/{id:guid}", GetAsync);
        return group;
    }

    private static async Task<Results<Accepted<MessageResponse>, ValidationProblem, ProblemHttpResult>> SendAsync(
        SendMessageRequest request, [FromHeader(Name = IdempotentRequests.Header)] string? idempotencyKey, ClaimsPrincipal user,
        SmsDbContext db, OutgoingMessages outgoing, IdempotentRequests idempotency, SharedSaves saves, CancellationToken cancellationToken)
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
        if (idempotencyKey is not null && !IdempotentRequests.IsValidKey(idempotencyKey))
        {
            errors.Add(IdempotentRequests.Header, "1 to 255 printable ASCII characters.");
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        byte[]? hash = null;
        if (idempotencyKey is not null)
        {
            hash = idempotency.Hash("POST /messages/send", request);
            var seen = await idempotency.FindAsync<MessageResponse>(db, clientId, idempotencyKey, hash, cancellationToken);
            if (!seen.IsNew)
            {
                return Replay(seen);
            }
        }

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
            IgnoreQuietHours = request.IgnoreQuietHours == true,
        }, cancellationToken);
        // A send to an opted-out lead is recorded as suppressed and answered 202 like any other: the send's outcome
        // is the message's status, which the Dispatcher can also settle as suppressed after a 202.
        if (!queued.IsQueued && !queued.IsSuppressed)
        {
            return QueueProblems.From(queued);
        }

        var response = MessageResponse.Of(queued.Message!);
        if (idempotencyKey is not null)
        {
            idempotency.Record(db, clientId, idempotencyKey, hash!, StatusCodes.Status202Accepted, response);
        }

        try
        {
            // Committed with whatever other sends are waiting: one transaction and one WAL flush for all of them.
            await saves.SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateException exception) when (idempotencyKey is not null && exception.IsUniqueViolation(IdempotentRequests.PrimaryKey))
        {
            // A concurrent request with the same key committed first; nothing of ours was written.
            db.ChangeTracker.Clear();
            return Replay(await idempotency.FindAsync<MessageResponse>(db, clientId, idempotencyKey, hash!, cancellationToken));
        }

        return TypedResults.Accepted($"/messages/{response.Id}", response);
    }

    private static Results<Accepted<MessageResponse>, ValidationProblem, ProblemHttpResult> Replay(IdempotencyLookup<MessageResponse> seen) =>
        seen.IsMismatch
            ? ApiProblems.Unprocessable("This Idempotency-Key was already used with a different request.")
            : TypedResults.Accepted($"/messages/{seen.Response!.Id}", seen.Response);

    private static async Task<Results<Ok<Page<MessageResponse>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, SmsDbContext db, string? status, [FromQuery(Name = "lead_id")] Guid? leadId,
        DateTimeOffset? from, DateTimeOffset? to, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Page<MessageResponse>.IsValidLimit(limit))
        {
            errors.Add("limit", $"Between 1 and {Page<MessageResponse>.MaxLimit}.");
        }

        if (!Cursor.TryDecode(cursor, out var after))
        {
            errors.Add("cursor", "Not a cursor from a previous page.");
        }

        MessageStatus? wanted = null;
        if (status is not null)
        {
            wanted = Enum.GetValues<MessageStatus>().Where(v => SnakeCaseEnumConverter.ToSnakeCase(v) == status).Cast<MessageStatus?>().FirstOrDefault();
            if (wanted is null)
            {
                errors.Add("status", $"One of {string.Join(", ", Enum.GetValues<MessageStatus>().Select(SnakeCaseEnumConverter.ToSnakeCase))}.");
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Messages.AsNoTracking().Where(m => m.ClientId == clientId);
        if (wanted is { } s)
        {
            query = query.Where(m => m.Status == s);
        }

        if (leadId is { } lead)
        {
            query = query.Where(m => m.LeadId == lead);
        }

        if (from is { } start)
        {
            query = query.Where(m => m.CreatedAt >= start.ToUniversalTime());
        }

        if (to is { } end)
        {
            query = query.Where(m => m.CreatedAt < end.ToUniversalTime());
        }

        if (after is { } position)
        {
            query = query.Where(m => m.CreatedAt < position.CreatedAt || (m.CreatedAt == position.CreatedAt && m.Id.CompareTo(position.Id) < 0));
        }

        var take = limit ?? Page<MessageResponse>.DefaultLimit;
        var rows = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(take + 1).Select(MessageResponse.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(Page<MessageResponse>.Of(rows, take, r => new Cursor(r.CreatedAt, r.Id)));
    }

    private static async Task<Results<Ok<MessageResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Messages.AsNoTracking().Where(m => m.Id == id && m.ClientId == clientId)
                .Select(MessageResponse.Projection).SingleOrDefaultAsync(cancellationToken) is { } message
            ? TypedResults.Ok(message)
            : ApiProblems.NotFound("message");
    }
}
