namespace SmsRemarketing.Domain.Triggers;

public enum SweepStatus
{
    /// <summary>The due leads not fired before are fired now (queued or skipped with a reason).</summary>
    Swept,
    TriggerNotFound,
    NotLeadAge,

    /// <summary>Recorded on the sweep run; no lead is fired.</summary>
    TriggerInactive,
}
