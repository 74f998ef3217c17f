namespace SmsRemarketing.Contracts;

/// <summary>
/// Command: find the leads of a <c>lead_age</c> trigger that are due on <see cref="LocalDate"/> (in the
/// client's time zone) and queue one message per lead. A sweep run is identified by (trigger, local date),
/// so a repeated command sends nothing new.
/// </summary>
public sealed record RunLeadAgeSweep
{
    public required Guid TriggerId { get; init; }
    public required Guid ClientId { get; init; }
    public required DateOnly LocalDate { get; init; }
}
