namespace SmsRemarketing.Contracts;

/// <summary>
/// A lead of a client with double opt-in confirmed it wants the client's texts (it replied YES to the confirmation).
/// Published by the Api; the Scheduler then fires the client's new_lead triggers for it, which waited until now.
/// </summary>
public sealed record LeadConfirmed
{
    public required Guid ClientId { get; init; }
    public required Guid LeadId { get; init; }
    public required string Phone { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}
