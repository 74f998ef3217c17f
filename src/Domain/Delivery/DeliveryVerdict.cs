namespace SmsRemarketing.Domain.Delivery;

public enum DeliveryVerdict
{
    SendNow,

    /// <summary>An automated send kept as <c>scheduled</c> until the policy allows it.</summary>
    Defer,

    /// <summary>An automated send over the frequency cap of a client whose cap action is skip.</summary>
    Skip,

    /// <summary>A manual marketing send outside the sending window: refused.</summary>
    OutsideWindow,
}
