using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Features.Leads;
using SmsRemarketing.Api.Features.Messages;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Api.Idempotency;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary>Automation rules bound to a template; webhook triggers are fired here, the others by events and the scheduler.</summary>
internal static class TriggersApi
{
    public static RouteGroupBuilder MapTriggers(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/triggers").WithTags("Triggers").RequireAuthorization(ApiAuthentication.TenantPolicy);
        group.MapPost("/", CreateAsync).WithSummary("Create a new_lead, lead_age (days >= 1) or webhook trigger bound to a template.");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPatch("/{id:guid}", UpdateAsync);
        group.MapDelete("/{id:guid}", DeleteAsync);
        group.MapPost("/{id:guid}/fire", FireAsync)
            .WithSummary("Fire a webhook trigger for a lead given by id or phone (created if create_lead is true); 202 with the message, 200 with the first one when the trigger already fired for the lead.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id:guid}/sweep", TriggerSweeps.SweepAsync)
            .WithSummary("Run a lead_age trigger's sweep for today's date in the client's time zone, as the Scheduler does; each lead fires once.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Created<TriggerResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateTriggerRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        if (request.Type is null)
        {
            errors.Add("type", "This field is required: new_lead, lead_age or webhook.");
        }

        if (request.TemplateId is null)
        {
            errors.Add("template_id", "This field is required.");
        }

        ValidateDays(errors, request.Type, request.Days);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        if (!await db.Templates.AnyAsync(t => t.Id == request.TemplateId && t.ClientId == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("template");
        }

        var now = time.GetUtcNow();
        var trigger = new Trigger
        {
            ClientId = clientId,
            Name = request.Name!.Trim(),
            Type = request.Type!.Value,
            TemplateId = request.TemplateId!.Value,
            Days = request.Days,
            IsActive = request.IsActive ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Triggers.Add(trigger);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/triggers/{trigger.Id}", TriggerResponse.From(trigger));
    }

    private static async Task<Results<Ok<Page<TriggerResponse>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, SmsDbContext db, string? type, [FromQuery(Name = "is_active")] bool? isActive,
        int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Page<TriggerResponse>.IsValidLimit(limit))
        {
            errors.Add("limit", $"Between 1 and {Page<TriggerResponse>.MaxLimit}.");
        }

        if (!Cursor.TryDecode(cursor, out var after))
        {
            errors.Add("cursor", "Not a cursor from a previous page.");
        }

        var wantedType = Enum.GetValues<TriggerType>().Where(v => SnakeCaseEnumConverter.ToSnakeCase(v) == type).Cast<TriggerType?>().FirstOrDefault();
        if (type is not null && wantedType is null)
        {
            errors.Add("type", "One of new_lead, lead_age, webhook.");
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var query = db.Triggers.AsNoTracking().Where(t => t.ClientId == clientId);
        if (wantedType is { } wanted)
        {
            query = query.Where(t => t.Type == wanted);
        }

        if (isActive is { } active)
        {
            query = query.Where(t => t.IsActive == active);
        }

        if (after is { } position)
        {
            query = query.Where(t => t.CreatedAt < position.CreatedAt || (t.CreatedAt == position.CreatedAt && t.Id.CompareTo(position.Id) < 0));
        }

        var take = limit ?? Page<TriggerResponse>.DefaultLimit;
        var rows = await query.OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Take(take + 1).Select(TriggerResponse.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(Page<TriggerResponse>.Of(rows, take, r => new Cursor(r.CreatedAt, r.Id)));
    }

    private static async Task<Results<Ok<TriggerResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Triggers.AsNoTracking().Where(t => t.Id == id && t.ClientId == clientId)
                .Select(TriggerResponse.Projection).SingleOrDefaultAsync(cancellationToken) is { } trigger
            ? TypedResults.Ok(trigger)
            : ApiProblems.NotFound("trigger");
    }

    private static async Task<Results<Ok<TriggerResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateTriggerRequest request, ClaimsPrincipal user, SmsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            errors.Text("name", request.Name, 200, required: true);
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var trigger = await db.Triggers.SingleOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken);
        if (trigger is null)
        {
            return ApiProblems.NotFound("trigger");
        }

        ValidateDays(errors, trigger.Type, request.Days ?? trigger.Days);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        if (request.TemplateId is { } templateId && templateId != trigger.TemplateId
            && !await db.Templates.AnyAsync(t => t.Id == templateId && t.ClientId == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("template");
        }

        trigger.Name = request.Name?.Trim() ?? trigger.Name;
        trigger.TemplateId = request.TemplateId ?? trigger.TemplateId;
        trigger.Days = request.Days ?? trigger.Days;
        trigger.IsActive = request.IsActive ?? trigger.IsActive;
        trigger.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(TriggerResponse.From(trigger));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        var deleted = await db.Triggers.Where(t => t.Id == id && t.ClientId == clientId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? ApiProblems.NotFound("trigger") : TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<MessageResponse>, Ok<MessageResponse>, ValidationProblem, ProblemHttpResult>> FireAsync(
        Guid id, FireTriggerRequest request, [FromHeader(Name = IdempotentRequests.Header)] string? idempotencyKey, ClaimsPrincipal user,
        SmsDbContext db, OutgoingMessages outgoing, IdempotentRequests idempotency, IOptions<ApiOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if ((request.LeadId is null) == (request.Phone is null))
        {
            errors.Add(request.LeadId is null ? "phone" : "lead_id", "Give either lead_id or phone, not both and not neither.");
        }

        string? phone = null;
        if (request.Phone is not null)
        {
            var fields = request.Lead;
            phone = LeadWrites.Validate(errors, request.Phone, request.Region, fields?.FirstName, fields?.LastName, fields?.Email,
                fields?.CustomFields, fields?.Timezone, fields?.Locale, options.Value.MaxCustomFieldsBytes, phoneRequired: true);
        }

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
            hash = idempotency.Hash($"POST /triggers/{id}/fire", request);
            var seen = await idempotency.FindAsync<MessageResponse>(db, clientId, idempotencyKey, hash, cancellationToken);
            if (!seen.IsNew)
            {
                return Replay(seen);
            }
        }

        var trigger = await db.Triggers.AsNoTracking().Include(t => t.Template).Include(t => t.Client)
            .SingleOrDefaultAsync(t => t.Id == id && t.ClientId == clientId, cancellationToken);
        if (trigger is null)
        {
            return ApiProblems.NotFound("trigger");
        }

        if (trigger.Type != TriggerType.Webhook)
        {
            return ApiProblems.Conflict($"Only webhook triggers can be fired; this one is {SnakeCaseEnumConverter.ToSnakeCase(trigger.Type)}.");
        }

        if (!trigger.IsActive)
        {
            return ApiProblems.Conflict("The trigger is inactive.", new Dictionary<string, object?> { ["reason"] = "trigger_inactive" });
        }

        Lead? lead = request.LeadId is { } leadId
            ? await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.Id == leadId && l.ClientId == clientId, cancellationToken)
            : await db.Leads.AsNoTracking().SingleOrDefaultAsync(l => l.Phone == phone && l.ClientId == clientId, cancellationToken);
        if (lead is not null && await WebhookFirings.FirstAsync(db, trigger.Id, lead.Id, cancellationToken) is { } first)
        {
            return first;
        }

        if (lead is null && phone is not null && request.CreateLead == true)
        {
            var fields = request.Lead;
            lead = LeadWrites.Add(db, clientId, phone, fields?.FirstName, fields?.LastName, fields?.Email,
                fields?.CustomFields, fields?.Timezone, fields?.Locale, time.GetUtcNow());
        }

        if (lead is null)
        {
            return ApiProblems.NotFound("lead");
        }

        var queued = await outgoing.EnqueueAsync(db, new QueueMessage
        {
            Client = trigger.Client!,
            Lead = lead,
            Template = trigger.Template,
            Variables = request.Variables,
            Source = MessageSource.Webhook,
            TriggerId = trigger.Id,
        }, cancellationToken);
        // As for a manual send, an opted-out lead's firing is recorded as a suppressed message (202), not refused.
        if (!queued.IsQueued && !queued.IsSuppressed)
        {
            return QueueProblems.From(queued);
        }

        var response = MessageResponse.Of(queued.Message!);
        db.TriggerFirings.Add(new TriggerFiring
        {
            TriggerId = trigger.Id,
            LeadId = lead.Id,
            ClientId = clientId,
            Message = queued.Message,
            MessageId = queued.Message!.Id,
            Outcome = TriggerFirer.OutcomeOf(queued),
            Detail = queued.Detail,
            FiredAt = queued.Message.CreatedAt,
        });
        if (idempotencyKey is not null)
        {
            idempotency.Record(db, clientId, idempotencyKey, hash!, StatusCodes.Status202Accepted, response);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (idempotencyKey is not null && exception.IsUniqueViolation(IdempotentRequests.PrimaryKey))
        {
            db.ChangeTracker.Clear();
            return Replay(await idempotency.FindAsync<MessageResponse>(db, clientId, idempotencyKey, hash!, cancellationToken));
        }
        catch (DbUpdateException exception) when (TriggerFirer.IsDuplicateFiring(exception))
        {
            db.ChangeTracker.Clear();
            return await WebhookFirings.FirstAsync(db, trigger.Id, lead.Id, cancellationToken)
                ?? throw new InvalidOperationException("The firing that won the race is gone.", exception);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(LeadWrites.PhoneIndex))
        {
            return ApiProblems.Conflict("The lead was created by a concurrent request; fire again to send to it.");
        }

        return TypedResults.Accepted($"/messages/{response.Id}", response);
    }

    private static Results<Accepted<MessageResponse>, Ok<MessageResponse>, ValidationProblem, ProblemHttpResult> Replay(IdempotencyLookup<MessageResponse> seen) =>
        seen.IsMismatch
            ? ApiProblems.Unprocessable("This Idempotency-Key was already used with a different request.")
            : TypedResults.Accepted($"/messages/{seen.Response!.Id}", seen.Response);

    private static void ValidateDays(ValidationErrors errors, TriggerType? type, int? days)
    {
        if (type == TriggerType.LeadAge && days is not >= 1)
        {
            errors.Add("days", "A lead_age trigger needs days >= 1.");
        }
        else if (type is TriggerType.NewLead or TriggerType.Webhook && days is not null)
        {
            errors.Add("days", "Only lead_age triggers take days.");
        }

        if (days > 3650)
        {
            errors.Add("days", "At most 3650.");
        }
    }
}
