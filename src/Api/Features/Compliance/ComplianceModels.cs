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
