namespace SmsRemarketing.Data.Clients;

/// <summary>What happens to an automated send over a client's frequency cap. Stored in snake_case.</summary>
public enum FrequencyCapAction
{
    /// <summary>Kept as <c>scheduled</c> until the cap allows it, then sent.</summary>
    Defer,

    /// <summary>Recorded as <c>skipped</c> with the reason; never sent, no credit.</summary>
    Skip,
}
