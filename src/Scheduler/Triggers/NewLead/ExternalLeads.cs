using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Scheduler.Triggers.NewLead;

/// <summary>The lead a <see cref="LeadCreated"/> is about: by id, else matched or created by (client, E.164 phone).</summary>
internal static class ExternalLeads
{
    private const string PhoneIndex = "ix_leads_client_id_phone";

    public static async Task<Guid> FindOrCreateAsync(SmsDbContext db, LeadCreated evt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (evt.ClientId == Guid.Empty || !await db.Clients.AnyAsync(c => c.Id == evt.ClientId, cancellationToken))
        {
            throw new InvalidLeadCreatedException($"Unknown client '{evt.ClientId}'.");
        }

        if (evt.LeadId is { } leadId)
        {
            return await db.Leads.AnyAsync(l => l.Id == leadId && l.ClientId == evt.ClientId, cancellationToken)
                ? leadId
                : throw new InvalidLeadCreatedException($"Client '{evt.ClientId}' has no lead '{leadId}'.");
        }

        var phone = PhoneNumberNormalizer.Normalize(evt.Phone);
        if (!phone.IsValid)
        {
            throw new InvalidLeadCreatedException($"Invalid phone: {phone.Error}");
        }

        var existing = await FindAsync(db, evt.ClientId, phone.E164!, cancellationToken);
        if (existing is { } found)
        {
            return found;
        }

        var lead = New(evt, phone.E164!, now);
        db.Leads.Add(lead);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return lead.Id;
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: PhoneIndex })
        {
            db.ChangeTracker.Clear();
            return await FindAsync(db, evt.ClientId, phone.E164!, cancellationToken)
                ?? throw new InvalidOperationException("The lead that won the race is gone.", exception);
        }
    }

    private static Task<Guid?> FindAsync(SmsDbContext db, Guid clientId, string phone, CancellationToken cancellationToken) =>
        db.Leads.Where(l => l.ClientId == clientId && l.Phone == phone).Select(l => (Guid?)l.Id).SingleOrDefaultAsync(cancellationToken);

    private static Lead New(LeadCreated evt, string phone, DateTimeOffset now)
    {
        var lead = new Lead
        {
            ClientId = evt.ClientId,
            Phone = phone,
            FirstName = Text(evt.FirstName, 100, "firstName"),
            LastName = Text(evt.LastName, 100, "lastName"),
            Email = Text(evt.Email, 320, "email"),
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (evt.CustomFields is { Count: > 0 } fields)
        {
            lead.CustomFields = JsonSerializer.SerializeToElement(fields);
        }

        return lead;
    }

    private static string? Text(string? value, int maxLength, string field)
    {
        var trimmed = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        return trimmed is { Length: var length } && length > maxLength
            ? throw new InvalidLeadCreatedException($"{field} is longer than {maxLength} characters.")
            : trimmed;
    }
}
