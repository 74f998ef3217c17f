using Microsoft.Extensions.Logging;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Domain.Messages;

namespace SmsRemarketing.Domain.Consent;

/// <summary>
/// Double opt-in (per client, off by default): a lead created without consent proof waits
/// (<see cref="Lead.AwaitingConfirmationSince"/>, set by the database) and gets one confirmation SMS, the client's text
/// with its HELP/STOP line; nothing else is sent to it until its number replies with an opt-in keyword
/// (<see cref="PhoneConsents.ConfirmAsync"/>). The confirmation is queued at most once per number, in the same
/// transaction that records the request, and goes through the one lifecycle, so it is never sent or charged twice.
/// </summary>
public sealed partial class DoubleOptIn(OutgoingMessages outgoing, TimeProvider time, ILogger<DoubleOptIn> logger)
{
    /// <summary>
    /// For a lead waiting to confirm, queues its number's confirmation unless that was done before, and returns true:
    /// the lead's new_lead triggers wait for the confirmation. False for any other lead.
    /// </summary>
    public async Task<bool> RequestIfWaitingAsync(SmsDbContext db, Client client, Lead lead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(lead);
        if (lead.AwaitingConfirmationSince is null)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await PhoneConsents.RequestConfirmationAsync(db, client.Id, lead.Phone, time.GetUtcNow(), cancellationToken))
        {
            return true;
        }

        var queued = await outgoing.EnqueueAsync(db, new QueueMessage
        {
            Client = client, Lead = lead, Body = ConfirmationText(client), Source = MessageSource.Confirmation,
        }, cancellationToken);
        if (queued.Message is null)
        {
            // Refused (no credit, an inactive client, a text too long): the request is not recorded either, so the next
            // LeadCreated for the number asks again.
            LogConfirmationRefused(logger, lead.Id, client.Id, queued.Detail);
            return true;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The client's confirmation text, with the HELP/STOP line carriers require when the text lacks one.</summary>
    public static string ConfirmationText(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var text = client.ConfirmationText ?? Client.DefaultConfirmationText(client.Name);
        return text.Contains("STOP", StringComparison.OrdinalIgnoreCase) ? text : $"{text} Reply HELP for help, STOP to opt out.";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Double opt-in confirmation for lead {LeadId} of client {ClientId} refused: {Reason}")]
    private static partial void LogConfirmationRefused(ILogger logger, Guid leadId, Guid clientId, string? reason);
}
