using System.Xml.Linq;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Data.Inbound;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Api.Features.Webhooks;

/// <summary>
/// <c>POST /webhooks/twilio/inbound</c>. The message is stored against each lead with that phone at the client(s) the
/// number belongs to: a client's own From number or Messaging Service, else, for the service's shared default sender,
/// every client without a sender of its own that has the lead (Twilio's STOP blocks the number pair for all of them,
/// so the opt-out must too). STOP-family keywords opt those leads out, START-family opt them back in (Twilio itself
/// confirms both, so no reply), HELP/INFO are answered with the client's help text in TwiML.
/// </summary>
internal static class InboundSms
{
    public const string TwiMLContentType = "text/xml";

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

        var keyword = InboundKeyword.Classify(body);
        var clients = await ClientsOfAsync(db, to, serviceSid, from, twilio.Value, cancellationToken);
        var clientIds = clients.Select(c => c.Id).ToList();
        var leads = await db.Leads.AsNoTracking()
            .Where(l => clientIds.Contains(l.ClientId) && l.Phone == from)
            .Select(l => new { l.Id, l.ClientId })
            .ToListAsync(cancellationToken);

        // Twilio retries a webhook whose connection failed, and a captured request stays validly signed forever: the
        // first delivery of a SID does the work. Copies arriving together wait on the SID's lock, and storing the message
        // and acting on its keyword commit together, so a retry after a failure between the two is not taken as done.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"inbound_sms:" + sid}, 0))", cancellationToken);
        var seen = await db.Set<InboundMessage>().AnyAsync(m => m.TwilioSid == sid, cancellationToken);
        if (!seen)
        {
            var now = time.GetUtcNow();
            var owners = leads.Count > 0
                ? leads.Select(l => ((Guid?)l.ClientId, (Guid?)l.Id)).ToList()
                : [(clients.FirstOrDefault()?.Id, null)];
            foreach (var (clientId, leadId) in owners)
            {
                db.Set<InboundMessage>().Add(new InboundMessage
                {
                    TwilioSid = sid, ClientId = clientId, LeadId = leadId, FromPhone = Truncate(from, 64), ToPhone = Truncate(to, 64),
                    Body = Truncate(body, 1600), Keyword = keyword, ReceivedAt = now,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            var detail = $"Texted \"{Truncate(body.Trim(), 32)}\" ({sid}).";
            foreach (var lead in leads)
            {
                var changed = keyword switch
                {
                    InboundKeyword.OptOut => await Suppression.OptOutAsync(db, lead.ClientId, lead.Id, ConsentEventSource.Keyword, detail, now, cancellationToken),
                    InboundKeyword.OptIn => await Suppression.OptInAsync(db, lead.ClientId, lead.Id, ConsentEventSource.Keyword, detail, now, cancellationToken),
                    _ => false,
                };
                var logger = loggers.CreateLogger(typeof(InboundSms));
                if (changed && logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation(
                        "Lead {LeadId} of client {ClientId}: {Keyword} by keyword ({MessageSid})", lead.Id, lead.ClientId, keyword, sid);
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return keyword == InboundKeyword.Help && clients.FirstOrDefault() is { } owner
            ? TwiML(owner.HelpText ?? Client.DefaultHelpText(owner.Name))
            : TwiML(null);
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
}
