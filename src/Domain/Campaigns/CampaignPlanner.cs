using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Domain.Delivery;
using SmsRemarketing.Domain.Messages;
using SmsRemarketing.Domain.Templates;
using SmsRemarketing.Domain.Triggers;
using SmsRemarketing.Twilio;

namespace SmsRemarketing.Domain.Campaigns;

/// <summary>
/// Plans a campaign recipient by recipient, a page of its audience at a time: renders the body for every one (not an
/// average), counts its segments and prices it as the send will (<see cref="DestinationPricing"/>), fixes when it
/// falls due (the campaign's instant, or its local time in the recipient's zone, <see cref="RecipientTimeZone"/>, as
/// quiet hours read it), and says why a lead gets nothing: opted out, suppressed (by the client, or awaiting its double
/// opt-in), a destination the client may not text, missing variables, too long, or its local time passed. The
/// estimate and the schedule both plan with this, so the estimate is what the schedule reserves. Every rule is checked
/// again when each message is released and claimed: the plan decides the cost, not whether it may go then.
/// </summary>
public sealed class CampaignPlanner(TimeProvider time)
{
    /// <summary>Leads read, rendered and (at schedule) written per round trip.</summary>
    public const int PageSize = 2_000;

    public async IAsyncEnumerable<IReadOnlyList<CampaignRecipientPlan>> PlanAsync(
        SmsDbContext db, Campaign campaign, Client client, Template? template, CampaignSegments segments,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(client);
        var now = time.GetUtcNow();
        var prices = await DestinationPricing.PricesAsync(db, cancellationToken);
        // A campaign's own body is an inline template: {{first_name}} is rendered in it as in a saved template.
        var parsed = TemplateRenderer.Parse(template?.Body ?? campaign.Body ?? "");
        Guid? after = null;
        while (true)
        {
            var leads = await CampaignAudience.PageAsync(db, campaign, segments, after, PageSize, now, cancellationToken);
            if (leads.Count == 0)
            {
                yield break;
            }

            var suppressedByClient = await SuppressedByClientAsync(db, client.Id, leads, cancellationToken);
            var plans = new List<CampaignRecipientPlan>(leads.Count);
            foreach (var lead in leads)
            {
                plans.Add(Plan(campaign, client, parsed, lead, suppressedByClient.Contains(lead.Phone), prices, now));
            }

            yield return plans;
            after = leads[^1].Id;
        }
    }

    private static CampaignRecipientPlan Plan(
        Campaign campaign, Client client, ParsedTemplate template, Lead lead, bool suppressedByClient, Dictionary<string, int> prices, DateTimeOffset now)
    {
        if (lead.OptedOutAt is { } optedOutAt)
        {
            return suppressedByClient
                ? CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.Suppressed, $"The client suppressed the number at {optedOutAt:O}.")
                : CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.OptedOut, $"The number opted out at {optedOutAt:O}.");
        }

        if (lead.AwaitingConfirmationSince is not null)
        {
            return CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.Suppressed, "The lead has not confirmed its double opt-in.");
        }

        var rendered = TemplateRenderer.Render(template, TemplateVariables.For(lead, campaign.Variables));
        if (!rendered.Succeeded)
        {
            return CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.MissingVariables,
                $"No value and no default for: {string.Join(", ", rendered.MissingVariables)}.");
        }

        var body = rendered.Text!;

        var segments = SmsSegments.Analyze(body);
        if (body.Length > OutgoingMessages.MaxBodyLength || segments.Segments > client.MaxSegments)
        {
            return CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.TooLong,
                $"The body renders to {body.Length} characters in {segments.Segments} segments ({segments.Encoding}); the client allows at most {client.MaxSegments}.");
        }

        var policy = DestinationPolicy.Of(client);
        if (policy.Check(lead.Phone) is { } refused)
        {
            return CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.InvalidDestination, refused.Detail);
        }

        var destination = DestinationPolicy.Of(lead.Phone);
        var priced = DestinationPricing.Price(client, destination, segments.Segments,
            prices.TryGetValue(destination.Country, out var perSegment) ? perSegment : null);
        if (priced.Refusal is { } unpriced)
        {
            return CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.InvalidDestination, unpriced.Detail);
        }

        var sendAfter = SendAfter(campaign, client, lead, now);
        if (sendAfter is null)
        {
            return CampaignRecipientPlan.Exclude(lead.Id, lead.Phone, CampaignExclusion.LocalTimePassed,
                $"{campaign.LocalTime:HH\\:mm} on {campaign.SendDate:yyyy-MM-dd} had passed in the recipient's time zone.");
        }

        return new(lead.Id, lead.Phone, body, segments.Segments, segments.Encoding, priced.CreditCost!.Value, sendAfter, null, null);
    }

    /// <summary>
    /// When the lead's message falls due: the campaign's instant (now, if none or past); or its local time on its date
    /// in the lead's zone, the next day when that has passed and the campaign says so, else null (skipped).
    /// </summary>
    private static DateTimeOffset? SendAfter(Campaign campaign, Client client, Lead lead, DateTimeOffset now)
    {
        if (campaign is not { LocalTime: { } localTime, SendDate: { } sendDate })
        {
            return campaign.SendAt is { } at && at > now ? at : now;
        }

        var zone = RecipientTimeZone.Of(lead, client).Zone;
        var due = LocalDates.Instant(sendDate.ToDateTime(localTime), zone);
        if (due >= now)
        {
            return due;
        }

        if (campaign.WhenLocalTimePassed == WhenLocalTimePassed.Skip)
        {
            return null;
        }

        // The next day on which that local time is still ahead (the date may be yesterday in a zone far west).
        var date = sendDate;
        while (due < now)
        {
            date = date.AddDays(1);
            due = LocalDates.Instant(date.ToDateTime(localTime), zone);
        }

        return due;
    }

    /// <summary>Of the opted-out numbers of <paramref name="leads"/>, those the client suppressed itself (not the person).</summary>
    private static async Task<HashSet<string>> SuppressedByClientAsync(SmsDbContext db, Guid clientId, List<Lead> leads, CancellationToken cancellationToken)
    {
        var phones = leads.Where(l => l.OptedOutAt is not null).Select(l => l.Phone).Distinct().ToList();
        if (phones.Count == 0)
        {
            return [];
        }

        var byClient = await db.Set<PhoneConsent>().AsNoTracking()
            .Where(pc => pc.ClientId == clientId && phones.Contains(pc.Phone) && pc.OptOutSource == ConsentEventSource.Api)
            .Select(pc => pc.Phone).ToListAsync(cancellationToken);
        return [.. byClient];
    }
}
