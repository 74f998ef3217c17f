using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Domain.Consent;

/// <summary>
/// The one place a phone number's consent to a client changes (<see cref="PhoneConsent"/>): opting it out, lifting the
/// opt-out, and the double opt-in request and confirmation. Each is one statement that changes the number's row and
/// appends its <see cref="ConsentEvent"/> together, and only when the state changes (a repeated STOP records nothing
/// new). The database copies the number's state onto the client's lead with that number, whichever path created it.
/// </summary>
public static class PhoneConsents
{
    /// <summary>Returns whether the number was opted out by this call (false: it already was).</summary>
    public static async Task<bool> OptOutAsync(
        SmsDbContext db, Guid clientId, string phone, ConsentEventSource source, string? detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sourceName = ConsentEventSources.Name(source);
        return await db.Database.ExecuteSqlAsync($"""
            WITH changed AS (
                INSERT INTO phone_consents AS pc (client_id, phone, opted_out_at, opt_out_source, opt_out_detail, updated_at)
                VALUES ({clientId}, {phone}, {now}, {sourceName}, {detail}, {now})
                ON CONFLICT (client_id, phone) DO UPDATE
                    SET opted_out_at = excluded.opted_out_at, opt_out_source = excluded.opt_out_source,
                        opt_out_detail = excluded.opt_out_detail, updated_at = excluded.updated_at
                    WHERE pc.opted_out_at IS NULL
                RETURNING client_id, phone)
            INSERT INTO consent_events (id, client_id, lead_id, phone, kind, source, detail, occurred_at)
            SELECT {Guid.CreateVersion7()}, client_id, (SELECT l.id FROM leads l WHERE l.client_id = changed.client_id AND l.phone = changed.phone), phone, 'opt_out', {sourceName}, {detail}::text, {now} FROM changed
            """, cancellationToken) == 1;
    }

    /// <summary>
    /// Lifts the number's opt-out. The person (<paramref name="source"/> other than <see cref="ConsentEventSource.Api"/>:
    /// an opt-in keyword from the number) lifts any; the client lifts only one it recorded itself, and only with
    /// <paramref name="proof"/> of the renewed consent, kept on the event.
    /// </summary>
    public static async Task<OptOutLift> LiftOptOutAsync(
        SmsDbContext db, Guid clientId, string phone, ConsentEventSource source, string? detail, ConsentProof? proof, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var byThePerson = ConsentEventSources.RecordedByThePerson(source);
        if (!byThePerson && proof is null)
        {
            throw new ArgumentException("The client lifts an opt-out only with proof of the renewed consent.", nameof(proof));
        }

        var sourceName = ConsentEventSources.Name(source);
        var apiName = ConsentEventSources.Name(ConsentEventSource.Api);
        // The number's row is locked while it is read, so a STOP arriving meanwhile is either before (and decides who
        // may lift) or after (and stands).
        // Read whole, not composed (SingleAsync would wrap the statement in a sub-query, where a data-modifying WITH may not be).
        var rows = await db.Database.SqlQuery<LiftRow>($"""
            WITH prior AS (
                SELECT opt_out_source FROM phone_consents
                WHERE client_id = {clientId} AND phone = {phone} AND opted_out_at IS NOT NULL
                FOR UPDATE),
            changed AS (
                UPDATE phone_consents pc SET opted_out_at = NULL, opt_out_source = NULL, opt_out_detail = NULL, updated_at = {now}
                FROM prior WHERE pc.client_id = {clientId} AND pc.phone = {phone} AND ({byThePerson} OR prior.opt_out_source = {apiName})
                RETURNING pc.client_id, pc.phone),
            recorded AS (
                INSERT INTO consent_events (id, client_id, lead_id, phone, kind, source, detail, consent_source, consent_at, consent_text, occurred_at)
                SELECT {Guid.CreateVersion7()}, client_id, (SELECT l.id FROM leads l WHERE l.client_id = changed.client_id AND l.phone = changed.phone), phone, 'opt_in', {sourceName}, {detail}::text,
                       {proof?.Source}::text, {proof?.At}::timestamptz, {proof?.Text}::text, {now}
                FROM changed
                RETURNING 1)
            SELECT (SELECT opt_out_source FROM prior) AS opt_out_source, (SELECT count(*) FROM recorded)::int AS lifted
            """).ToListAsync(cancellationToken);
        var outcome = rows.Single();
        return outcome switch
        {
            { Lifted: 1 } => OptOutLift.Lifted,
            { OptOutSource: null } => OptOutLift.NotOptedOut,
            _ => OptOutLift.OnlyThePerson(ConsentEventSources.Parse(outcome.OptOutSource)),
        };
    }

    /// <summary>
    /// Double opt-in: records that the number is asked to confirm, once: true only for the first request of a number
    /// that has not confirmed (the caller then queues the one confirmation SMS in the same transaction).
    /// </summary>
    public static async Task<bool> RequestConfirmationAsync(
        SmsDbContext db, Guid clientId, string phone, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var service = ConsentEventSources.Name(ConsentEventSource.Service);
        return await db.Database.ExecuteSqlAsync($"""
            WITH changed AS (
                INSERT INTO phone_consents AS pc (client_id, phone, confirmation_requested_at, updated_at)
                VALUES ({clientId}, {phone}, {now}, {now})
                ON CONFLICT (client_id, phone) DO UPDATE
                    SET confirmation_requested_at = excluded.confirmation_requested_at, updated_at = excluded.updated_at
                    WHERE pc.confirmation_requested_at IS NULL AND pc.confirmed_at IS NULL
                RETURNING client_id, phone)
            INSERT INTO consent_events (id, client_id, lead_id, phone, kind, source, detail, occurred_at)
            SELECT {Guid.CreateVersion7()}, client_id, (SELECT l.id FROM leads l WHERE l.client_id = changed.client_id AND l.phone = changed.phone), phone, 'confirmation_requested', {service}, NULL, {now} FROM changed
            """, cancellationToken) == 1;
    }

    /// <summary>
    /// Double opt-in: the number replied with an opt-in keyword while the client's lead with it waits to confirm.
    /// Returns that lead (no longer waiting), or null when none waited.
    /// </summary>
    public static async Task<Guid?> ConfirmAsync(
        SmsDbContext db, Guid clientId, string phone, string? detail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var keyword = ConsentEventSources.Name(ConsentEventSource.Keyword);
        var confirmed = await db.Database.SqlQuery<Guid?>($"""
            WITH waiting AS (
                SELECT id FROM leads WHERE client_id = {clientId} AND phone = {phone} AND awaiting_confirmation_since IS NOT NULL),
            changed AS (
                INSERT INTO phone_consents AS pc (client_id, phone, confirmed_at, updated_at)
                SELECT {clientId}, {phone}, {now}, {now} FROM waiting
                ON CONFLICT (client_id, phone) DO UPDATE SET confirmed_at = excluded.confirmed_at, updated_at = excluded.updated_at
                    WHERE pc.confirmed_at IS NULL
                RETURNING client_id, phone),
            recorded AS (
                INSERT INTO consent_events (id, client_id, lead_id, phone, kind, source, detail, occurred_at)
                SELECT {Guid.CreateVersion7()}, client_id, (SELECT id FROM waiting), phone, 'confirmed', {keyword}, {detail}::text, {now} FROM changed
                RETURNING lead_id)
            SELECT lead_id AS "Value" FROM recorded
            """).ToListAsync(cancellationToken);
        return confirmed.SingleOrDefault();
    }

    private sealed record LiftRow(string? OptOutSource, int Lifted);
}
