using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
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
using SmsRemarketing.Domain.Delivery;
using SmsRemarketing.Domain.Leads;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Triggers;

namespace SmsRemarketing.Api.Features.Triggers;

/// <summary>
/// Fire a webhook trigger for the lead <see cref="LeadId"/>, or the lead with <see cref="Phone"/> — created (with
/// <see cref="Lead"/>'s fields) when <see cref="CreateLead"/> is true and the client has none with that phone.
/// </summary>
internal sealed record FireTriggerRequest(
    Guid? LeadId, string? Phone, string? Region, bool? CreateLead, FireLeadFields? Lead, Dictionary<string, string?>? Variables);

internal sealed record FireLeadFields(string? FirstName, string? LastName, string? Email, JsonElement? CustomFields, string? Timezone, string? Locale)
{
    public LeadFields ToLeadFields() => new(FirstName, LastName, Email, CustomFields, Timezone, Locale);
}

/// <summary><c>POST /triggers/{id}/fire</c>: a webhook trigger's send, committed as a manual send is.</summary>
internal static class FireTrigger
{
    public static async Task<Results<Accepted<MessageResponse>, Ok<MessageResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, FireTriggerRequest request, HttpContext http, ClaimsPrincipal user, SmsDbContext db, OutgoingMessages outgoing, IdempotentSaves saves,
        IOptions<LeadOptions> leadOptions, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if ((request.LeadId is null) == (request.Phone is null))
        {
            errors.Add(request.LeadId is null ? "phone" : "lead_id", "Give either lead_id or phone, not both and not neither.");
        }

        var fields = request.Lead?.ToLeadFields() ?? LeadFields.None;
        string? phone = null;
        if (request.Phone is not null)
        {
            phone = LeadCreation.Validate(errors, request.Phone, request.Region, fields, leadOptions.Value.MaxCustomFieldsBytes, phoneRequired: true);
        }

        errors.Variables("variables", request.Variables);
        if (errors.IsUnprocessable)
        {
            return errors.ToUnprocessable();
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
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
            if (LeadCreation.DeniedDestination(trigger.Client!.DeniedNumberTypes, phone) is { } refused)
            {
                return DeniedPhone.Problem(refused);
            }

            lead = LeadCreation.Add(db, clientId, phone, fields, time.GetUtcNow());
        }

        if (lead is null)
        {
            return ApiProblems.NotFound("lead");
        }

        // An automated marketing message is capped: the cap locks the lead until the firing commits (IdempotentSaves
        // commits this transaction), so fires racing for one lead count one another.
        await using var capLock = trigger.Client!.FrequencyCaps.Count > 0
            && SendingPolicy.Of(trigger.Client).RulesFor(trigger.Category) == MessageCategory.Marketing
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        var queued = await outgoing.EnqueueAsync(db, new QueueMessage
        {
            Client = trigger.Client!,
            Lead = lead,
            Template = trigger.Template,
            Variables = request.Variables,
            Source = MessageSource.Webhook,
            TriggerId = trigger.Id,
            Category = trigger.Category,
        }, cancellationToken);
        // As for a manual send, an opted-out lead's firing is recorded as a suppressed message (202), not refused.
        if (!queued.IsQueued && !queued.IsSuppressed)
        {
            return QueueProblems.From(queued, http.Response);
        }

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
        var accepted = MessageResponse.Accepted(MessageResponse.Of(queued.Message));
        try
        {
            await saves.SaveAsync(db, accepted, cancellationToken);
        }
        catch (DbUpdateException exception) when (TriggerFirer.IsDuplicateFiring(exception))
        {
            db.ChangeTracker.Clear();
            return await WebhookFirings.FirstAsync(db, trigger.Id, lead.Id, cancellationToken)
                ?? throw new InvalidOperationException("The firing that won the race is gone.", exception);
        }
        catch (DbUpdateException exception) when (exception.IsUniqueViolation(LeadCreation.PhoneIndex))
        {
            return ApiProblems.Conflict("The lead was created by a concurrent request; fire again to send to it.");
        }

        return accepted;
    }
}
