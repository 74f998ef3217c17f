using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Leads;
using SmsRemarketing.Domain.Privacy;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>The lead a <see cref="LeadCreated"/> is about: by id, else matched or created by (client, E.164 phone).</summary>
internal static class ExternalLeads
{
    public static async Task<Guid> FindOrCreateAsync(SmsDbContext db, LeadCreated evt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deniedNumberTypes = evt.ClientId == Guid.Empty
            ? null
            : await db.Clients.Where(c => c.Id == evt.ClientId).Select(c => c.DeniedNumberTypes).SingleOrDefaultAsync(cancellationToken);
        if (deniedNumberTypes is null)
        {
            throw new InvalidLeadCreatedException($"Unknown client '{evt.ClientId}'.");
        }

        if (evt.LeadId is { } leadId)
        {
            return await db.Leads.AnyAsync(l => l.Id == leadId && l.ClientId == evt.ClientId, cancellationToken)
                ? leadId
                : throw new InvalidLeadCreatedException($"Client '{evt.ClientId}' has no lead '{leadId}'.");
        }

        // Checked as the Api checks a new lead: what the Api would refuse never reaches the table by another door.
        var fields = new LeadFields(evt.FirstName, evt.LastName, evt.Email,
            evt.CustomFields is { Count: > 0 } custom ? JsonSerializer.SerializeToElement(custom) : null, Timezone: null, Locale: null);
        var errors = new FieldErrors();
        var phone = LeadCreation.Validate(errors, evt.Phone, region: null, fields, LeadCreation.DefaultMaxCustomFieldsBytes, phoneRequired: true);
        if (!errors.IsValid)
        {
            // The reason goes to the error queue's fault header, an operators' channel: the number is masked there.
            throw new InvalidLeadCreatedException(PhoneRedaction.InText(string.Join("; ",
                errors.ToDictionary().Select(error => $"Invalid {error.Key}: {string.Join(" ", error.Value)}")), evt.Phone));
        }

        if (LeadCreation.DeniedDestination(deniedNumberTypes, phone) is { } denied)
        {
            throw new InvalidLeadCreatedException(PhoneRedaction.InText($"Invalid phone: {denied.Detail}", evt.Phone));
        }

        if (await FindAsync(db, evt.ClientId, phone!, cancellationToken) is { } found)
        {
            return found;
        }

        // The event being handled is this lead's announcement: it is not published again.
        var lead = LeadCreation.Add(db, evt.ClientId, phone!, fields, now, announce: false);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return lead.Id;
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException
            { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: LeadCreation.PhoneIndex })
        {
            db.ChangeTracker.Clear();
            return await FindAsync(db, evt.ClientId, phone!, cancellationToken)
                ?? throw new InvalidOperationException("The lead that won the race is gone.", exception);
        }
    }

    private static Task<Guid?> FindAsync(SmsDbContext db, Guid clientId, string phone, CancellationToken cancellationToken) =>
        db.Leads.Where(l => l.ClientId == clientId && l.Phone == phone).Select(l => (Guid?)l.Id).SingleOrDefaultAsync(cancellationToken);
}
