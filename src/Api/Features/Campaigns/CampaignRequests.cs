using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Features.Templates;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Audiences;
using SmsRemarketing.Data.Campaigns;
using SmsRemarketing.Domain.Campaigns;

namespace SmsRemarketing.Api.Features.Campaigns;

/// <summary>What creating and editing a draft share: a request checked field by field and applied to the campaign.</summary>
internal static class CampaignRequests
{
    /// <summary>Checks the fields given and writes them onto <paramref name="campaign"/>; the errors name each field at fault.</summary>
    public static void Apply(ValidationErrors errors, CampaignRequest request, Campaign campaign, DateTimeOffset now)
    {
        if (request.Name is not null || campaign.Name.Length == 0)
        {
            errors.Text("name", request.Name, 200, required: true);
            campaign.Name = request.Name?.Trim() ?? "";
        }

        if (request.SegmentId is not null && request.LeadIds is not null)
        {
            errors.Add("segment_id", "Give either segment_id or lead_ids, not both.");
        }
        else if (request.SegmentId is { } segmentId)
        {
            (campaign.SegmentId, campaign.LeadIds) = (segmentId, null);
        }
        else if (request.LeadIds is { } leadIds)
        {
            if (leadIds.Count is 0 or > Campaign.MaxLeadIds)
            {
                errors.Add("lead_ids", $"From 1 to {Campaign.MaxLeadIds.ToString("N0", CultureInfo.InvariantCulture)} lead ids.");
            }

            (campaign.SegmentId, campaign.LeadIds) = (null, [.. leadIds.Distinct()]);
        }

        if (request.ExcludeSegmentIds is { } excluded)
        {
            if (excluded.Count > 20)
            {
                errors.Add("exclude_segment_ids", "At most 20 segments.");
            }

            campaign.ExcludeSegmentIds = [.. excluded.Distinct()];
        }

        if (request.TemplateId is not null && request.Body is not null)
        {
            errors.Add("template_id", "Give either template_id or body, not both.");
        }
        else if (request.TemplateId is { } templateId)
        {
            (campaign.TemplateId, campaign.Body) = (templateId, null);
        }
        else if (request.Body is { } body)
        {
            // Rendered for each recipient as a template is, so its placeholders must parse.
            TemplateBodies.Validate(errors, body);
            (campaign.TemplateId, campaign.Body) = (null, body);
        }

        if (request.Variables is not null)
        {
            errors.Variables("variables", request.Variables);
            campaign.Variables = request.Variables;
        }

        if (request.Category is not null && errors.Category("category", request.Category) is { } category)
        {
            campaign.Category = category;
        }

        if (request.SendAt is { } sendAt)
        {
            ApplySendAt(errors, sendAt, campaign);
        }

        if (request.ThrottlePerMinute is { } throttle)
        {
            if (throttle is < 1 or > 1_000_000)
            {
                errors.Add("throttle_per_minute", "From 1 to 1,000,000 messages a minute.");
            }

            campaign.ThrottlePerMinute = throttle;
        }

        if (errors.IsValid && CampaignTiming.Problem(campaign, now) is { } timing)
        {
            errors.AddUnprocessable(timing.Field, timing.Detail);
        }
    }

    /// <summary>A draft's audience and content, complete and the client's own (another client's id is as unknown as a missing one).</summary>
    public static async Task CheckReferencesAsync(ValidationErrors errors, SmsDbContext db, Campaign campaign, CancellationToken cancellationToken)
    {
        if (campaign.SegmentId is null && campaign.LeadIds is null)
        {
            errors.Add("segment_id", "Give segment_id or lead_ids: the campaign needs an audience.");
        }

        if (campaign.TemplateId is null && campaign.Body is null)
        {
            errors.Add("template_id", "Give template_id or body: the campaign needs something to send.");
        }

        if (!errors.IsValid)
        {
            return;
        }

        var segmentIds = campaign.ExcludeSegmentIds.Concat(campaign.SegmentId is { } id ? [id] : []).ToList();
        var known = await db.Set<Segment>().Where(s => s.ClientId == campaign.ClientId && segmentIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
        if (campaign.SegmentId is { } segmentId && !known.Contains(segmentId))
        {
            errors.AddUnprocessable("segment_id", "No segment with this id.");
        }

        foreach (var (excluded, index) in campaign.ExcludeSegmentIds.Select((s, i) => (s, i)).Where(e => !known.Contains(e.s)))
        {
            errors.AddUnprocessable($"exclude_segment_ids[{index.ToString(CultureInfo.InvariantCulture)}]", $"No segment with the id {excluded}.");
        }

        if (campaign.TemplateId is { } templateId)
        {
            var template = await db.Templates.Where(t => t.Id == templateId && t.ClientId == campaign.ClientId)
                .Select(t => new { t.Category }).SingleOrDefaultAsync(cancellationToken);
            if (template is null)
            {
                errors.AddUnprocessable("template_id", "No template with this id.");
            }
        }

        if (campaign.LeadIds is { Count: > 0 } leadIds)
        {
            var found = await db.Leads.CountAsync(l => l.ClientId == campaign.ClientId && leadIds.Contains(l.Id), cancellationToken);
            if (found < leadIds.Count)
            {
                errors.AddUnprocessable("lead_ids", $"{(leadIds.Count - found).ToString(CultureInfo.InvariantCulture)} of the lead ids are not leads of this client.");
            }
        }
    }

    private static void ApplySendAt(ValidationErrors errors, CampaignSendAt sendAt, Campaign campaign)
    {
        if (sendAt.At is { } at)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) || !HasOffset(at))
            {
                errors.Add("send_at", "An ISO 8601 instant with its offset (2026-12-24T09:00:00Z), or {\"local_time\": \"HH:mm\", \"send_date\": \"YYYY-MM-DD\"}.");
                return;
            }

            (campaign.SendAt, campaign.LocalTime, campaign.SendDate) = (instant.ToUniversalTime(), null, null);
            return;
        }

        if (!TimeOnly.TryParseExact(sendAt.LocalTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var localTime))
        {
            errors.Add("send_at.local_time", "A local time as HH:mm (24-hour).");
        }

        if (!DateOnly.TryParseExact(sendAt.SendDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add("send_at.send_date", "A date as YYYY-MM-DD.");
        }

        var ifPassed = WhenLocalTimePassed.NextDay;
        if (sendAt.IfPassed is { } passed && !SnakeCaseEnumConverter.TryParse(passed, out ifPassed))
        {
            errors.Add("send_at.if_passed", "next_day or skip.");
        }

        (campaign.SendAt, campaign.LocalTime, campaign.SendDate, campaign.WhenLocalTimePassed) = (null, localTime, date, ifPassed);
    }

    // DateTimeOffset.TryParse reads a time without an offset as local: an instant must say its offset.
    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal);
}
