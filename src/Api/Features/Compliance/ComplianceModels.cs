using System.Linq.Expressions;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>Opts <see cref="LeadId"/> out; <see cref="Note"/> is kept with the consent event (e.g. "asked by phone").</summary>
internal sealed record AddSuppressionRequest(Guid? LeadId, string? Note);

/// <summary>An opted-out lead, with what opted it out last.</summary>
internal sealed record SuppressionResponse(
    Guid LeadId, string Phone, DateTimeOffset OptedOutAt, ConsentEventSource? Source, string? Detail);

internal sealed record ConsentEventResponse(
    Guid Id, Guid LeadId, ConsentEventKind Kind, ConsentEventSource Source, string? Detail, DateTimeOffset OccurredAt);

/// <summary>The reply to HELP/INFO; null or "" restores the default.</summary>
internal sealed record HelpTextRequest(string? HelpText);

/// <summary><see cref="HelpText"/> as set (null: the default), and <see cref="Reply"/>, the text actually sent.</summary>
internal sealed record HelpTextResponse(string? HelpText, string Reply);

/// <summary>A tenant's delivery policy, read-only for the tenant (the admin sets it on <c>PATCH /clients/{id}</c>).</summary>
internal sealed record DeliveryPolicyResponse(
    bool QuietHoursEnabled, TimeOnly SendingWindowStart, TimeOnly SendingWindowEnd, string Timezone, List<FrequencyCapRule> FrequencyCaps,
    FrequencyCapAction FrequencyCapAction, int MaxSegments, bool PayPerSegment)
{
    public static readonly Expression<Func<Client, DeliveryPolicyResponse>> Projection = c => new DeliveryPolicyResponse(
        c.QuietHoursEnabled, c.SendingWindowStart, c.SendingWindowEnd, c.Timezone, c.FrequencyCaps, c.FrequencyCapAction, c.MaxSegments, c.PayPerSegment);
}
