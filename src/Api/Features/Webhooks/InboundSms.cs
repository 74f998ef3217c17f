using System.Xml.Linq;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Contracts;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Data.Inbound;
using SmsRemarketing.Domain.Consent;
using SmsRemarketing.Messaging.Outbox;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// <c>POST /webhooks/twilio/inbound</c>. The message is stored for each client the number texted belongs to: a
/// client's own From number or Messaging Service, else, for the service's shared default sender, every client without
/// a sender of its own that has a lead with that phone (Twilio's STOP blocks the number pair for all of them, so the
/// opt-out must too). Each client reads it with its own keywords (<see cref="ConsentKeywords"/>), unless Twilio's
/// Advanced Opt-Out already decided (<c>OptOutType</c>): an opt-out keyword opts the number out of that client, an
/// opt-in keyword lifts any opt-out and confirms a waiting double opt-in, HELP is answered with the client's help
/// text in TwiML. Twilio answers its own English keywords; for the others the reply confirms what was done.
/// </summary>
internal static class InboundSms
{
    public const string TwiMLContentType = "text/xml";

    /// <summary>The keywords Twilio itself answers on a number without Advanced Opt-Out.</summary>
    private static readonly ConsentKeywords.Families TwilioAnswers = ConsentKeywords.Languages[ConsentKeywords.English];

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> HandleAsync(
        HttpRequest request, SmsDbContext db, IOptions<TwilioOptions> twilio, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var sid = form["MessageSid"].ToString() is { Length: > 0 } messageSid ? messageSid : form["SmsSid"].ToString();
        var from = form["From"].ToString();
        var to = form["To"].ToString();
        var serviceSid = form["MessagingServiceSid"].ToString() is { Length: > 0 } service ? service : null;
        var body = form["Body"].ToString();
        if (sid.Length == 0 || from.Length == 0 || to.Length == 0)
        {
            return TypedResults.Problem("MessageSid, From and To are required.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }

        if (!TwilioSids.IsMessageSid(sid))
        {
            return TypedResults.Problem(TwilioSids.Expected, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");
        }

        var decidedByTwilio = form["OptOutType"].ToString().ToUpperInvariant() switch
        {
            "STOP" => ConsentSettings.OptOut,
            "START" => ConsentSettings.OptIn,
            "HELP" => ConsentSettings.Help,
            _ => null,
        };
        var clients = await ClientsOfAsync(db, to, serviceSid, from, twilio.Value, cancellationToken);
        var clientIds = clients.Select(c => c.Id).ToList();
        var leads = await db.Leads.AsNoTracking()
            .Where(l => clientIds.Contains(l.ClientId) && l.Phone == from)
            .ToDictionaryAsync(l => l.ClientId, l => l.Id, cancellationToken);
        var readings = clients.Select(client => Read(client, body, decidedByTwilio)).ToList();

        // Twilio retries a webhook whose connection failed, and a captured request stays validly signed forever: the
        // first delivery of a SID does the work. Copies arriving together wait on the SID's lock, and storing the message
        // and acting on its keyword commit together, so a retry after a failure between the two is not taken as done.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"inbound_sms:" + sid}, 0))", cancellationToken);
        var seen = await db.Set<InboundMessage>().AnyAsync(m => m.TwilioSid == sid, cancellationToken);
        if (!seen)
        {
            var now = time.GetUtcNow();
            foreach (var reading in readings.DefaultIfEmpty())
            {
                db.Set<InboundMessage>().Add(new InboundMessage
                {
                    TwilioSid = sid, ClientId = reading?.Client.Id, LeadId = reading is null ? null : leads.GetValueOrDefault(reading.Client.Id) as Guid?,
                    FromPhone = Truncate(from, 64), ToPhone = Truncate(to, 64), Body = Truncate(body, 1600),
                    Keyword = reading?.Keyword, PossibleOptOut = reading?.PossibleOptOut ?? false, ReceivedAt = now,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            var detail = $"Texted \"{Truncate(body.Trim(), 32)}\" ({sid}).";
            var logger = loggers.CreateLogger(typeof(InboundSms));
            foreach (var reading in readings)
            {
                await ActAsync(db, reading, from, detail, now, logger, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return readings.FirstOrDefault(r => r.Keyword is not null) is { } answered ? TwiML(Reply(answered, decidedByTwilio is not null, body)) : TwiML(null);
    }

    /// <summary>What the message means to one client.</summary>
    private sealed record Reading(Client Client, string? Keyword, bool PossibleOptOut, ConsentEventSource Source);

    private static Reading Read(Client client, string body, string? decidedByTwilio)
    {
        var keyword = decidedByTwilio ?? ConsentKeywords.Classify(body, client.KeywordLanguages, client.CustomKeywords);
        var possible = keyword is null && ConsentKeywords.IsPossibleOptOut(body);
        return new Reading(client, keyword, possible, decidedByTwilio is null ? ConsentEventSource.Keyword : ConsentEventSource.TwilioOptOutType);
    }

    private static async Task ActAsync(
        SmsDbContext db, Reading reading, string from, string detail, DateTimeOffset now, ILogger logger, CancellationToken cancellationToken)
    {
        var clientId = reading.Client.Id;
        if (reading.Keyword == ConsentSettings.OptOut || (reading.PossibleOptOut && reading.Client.OptOutOnPossibleOptOut))
        {
            var source = reading.Keyword is null ? ConsentEventSource.MessageText : reading.Source;
            if (await PhoneConsents.OptOutAsync(db, clientId, from, source, detail, now, cancellationToken))
            {
                LogChanged(logger, clientId, "opted out", ConsentEventSources.Name(source));
            }
        }
        else if (reading.Keyword == ConsentSettings.OptIn)
        {
            var lift = await PhoneConsents.LiftOptOutAsync(db, clientId, from, reading.Source, detail, proof: null, now, cancellationToken);
            if (lift.Outcome == OptOutLiftOutcome.Lifted)
            {
                LogChanged(logger, clientId, "opted back in", ConsentEventSources.Name(reading.Source));
            }

            if (await PhoneConsents.ConfirmAsync(db, clientId, from, detail, now, cancellationToken) is { } confirmed)
            {
                // Its new_lead triggers waited for this; the Scheduler fires them.
                db.AddOutboxMessage(new LeadConfirmed { ClientId = clientId, LeadId = confirmed, Phone = from, OccurredAt = now });
                await db.SaveChangesAsync(cancellationToken);
                LogChanged(logger, clientId, "confirmed its double opt-in", ConsentEventSources.Name(reading.Source));
            }
        }
    }

    /// <summary>
    /// HELP gets the client's help text. An opt-out or opt-in gets a confirmation only when neither Twilio's defaults
    /// (its English keywords) nor its Advanced Opt-Out answered it already.
    /// </summary>
    private static string? Reply(Reading reading, bool decidedByTwilio, string body)
    {
        var name = reading.Client.Name;
        if (reading.Keyword == ConsentSettings.Help)
        {
            return decidedByTwilio ? null : reading.Client.HelpText ?? Client.DefaultHelpText(name);
        }

        var word = ConsentKeywords.Normalize(body);
        if (decidedByTwilio || TwilioAnswers.OptOut.Contains(word) || TwilioAnswers.OptIn.Contains(word))
        {
            return null;
        }

        return reading.Keyword == ConsentSettings.OptOut
            ? $"{name}: you are unsubscribed and will get no more texts from us. Reply START to resubscribe."
            : $"{name}: you are subscribed again. Reply HELP for help, STOP to unsubscribe.";
    }

    /// <summary>Clients that own the number texted, those with their own sender first.</summary>
    private static async Task<List<Client>> ClientsOfAsync(
        SmsDbContext db, string to, string? serviceSid, string from, TwilioOptions twilio, CancellationToken cancellationToken)
    {
        var own = await db.Clients.AsNoTracking()
            .Where(c => c.FromNumber == to || (serviceSid != null && c.MessagingServiceSid == serviceSid))
            .OrderBy(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
        var shared = to == twilio.DefaultFrom || (serviceSid is not null && serviceSid == twilio.MessagingServiceSid);
        if (own.Count > 0 || !shared)
        {
            return own;
        }

        return await db.Leads.AsNoTracking()
            .Where(l => l.Phone == from && l.Client!.FromNumber == null && l.Client.MessagingServiceSid == null)
            .Select(l => l.Client!)
            .OrderBy(c => c.CreatedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>TwiML: one reply message, or an empty response (no reply).</summary>
    private static ContentHttpResult TwiML(string? reply)
    {
        var response = reply is null ? new XElement("Response") : new XElement("Response", new XElement("Message", reply));
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), response);
        return TypedResults.Text(document.Declaration + document.ToString(SaveOptions.DisableFormatting), TwiMLContentType);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static void LogChanged(ILogger logger, Guid clientId, string change, string source)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("A number {Change} of client {ClientId} ({Source})", change, clientId, source);
        }
    }
}
