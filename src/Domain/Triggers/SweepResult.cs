namespace SmsRemarketing.Domain.Triggers;

/// <summary>What a <c>lead_age</c> sweep did for (trigger, local date): counts of this run only.</summary>
public sealed record SweepResult(SweepStatus Status, Guid TriggerId, DateOnly LocalDate, DateOnly? CreatedOn, int Queued, int Skipped);
