using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;
using SmsRemarketing.Data.Leads;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>An opted-out lead, with what opted it out last.</summary>
internal sealed record SuppressionResponse(
    Guid LeadId, string Phone, DateTimeOffset OptedOutAt, ConsentEventSource? Source, string? Detail)
{
    /// <summary>The rows of <paramref name="leads"/> (opted out), each with the source of the lead's latest opt-out.</summary>
    public static IQueryable<SuppressionResponse> Project(SmsDbContext db, IQueryable<Lead> leads) =>
        leads.Select(l => new
            {
                Lead = l,
                Latest = db.Set<ConsentEvent>()
                    .Where(e => e.LeadId == l.Id && e.Kind == ConsentEventKind.OptOut)
                    .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
                    .FirstOrDefault(),
            })
            .Select(x => new SuppressionResponse(x.Lead.Id, x.Lead.Phone, x.Lead.OptedOutAt!.Value,
                x.Latest == null ? null : x.Latest.Source, x.Latest == null ? null : x.Latest.Detail));
}
