using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Domain.Messages;

/// <summary>
/// Opting a lead out and back in, each one statement that changes the lead and appends its consent event together,
/// and only when the state changes (a repeated STOP records nothing new).
/// </summary>
public static class Suppression
{
    /// <summary>Returns whether the lead was opted out by this call (false: already opted out, or no such lead of the client).</summary>
    public static async Task<bool> OptOutAsync(
        SmsDbContext db, Guid clientId, Guid leadId, ConsentEventSource source, string? detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sourceName = ConsentEventSources.Name(source);
        return await db.Database.ExecuteSqlAsync($"""
            WITH changed AS (
                UPDATE leads SET opted_out_at = {now}, updated_at = {now}
                WHERE id = {leadId} AND client_id = {clientId} AND opted_out_at IS NULL
                RETURNING id, client_id)
            INSERT INTO consent_events (id, client_id, lead_id, kind, source, detail, occurred_at)
            SELECT {Guid.CreateVersion7()}, client_id, id, 'opt_out', {sourceName}, {detail}, {now} FROM changed
            """, cancellationToken) == 1;
    }

    /// <summary>Returns whether the lead was opted back in by this call (false: not opted out, or no such lead of the client).</summary>
    public static async Task<bool> OptInAsync(
        SmsDbContext db, Guid clientId, Guid leadId, ConsentEventSource source, string? detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sourceName = ConsentEventSources.Name(source);
        return await db.Database.ExecuteSqlAsync($"""
            WITH changed AS (
                UPDATE leads SET opted_out_at = NULL, updated_at = {now}
                WHERE id = {leadId} AND client_id = {clientId} AND opted_out_at IS NOT NULL
                RETURNING id, client_id)
            INSERT INTO consent_events (id, client_id, lead_id, kind, source, detail, occurred_at)
            SELECT {Guid.CreateVersion7()}, client_id, id, 'opt_in', {sourceName}, {detail}, {now} FROM changed
            """, cancellationToken) == 1;
    }
}
