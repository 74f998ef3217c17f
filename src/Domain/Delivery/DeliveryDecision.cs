namespace SmsRemarketing.Domain.Delivery;

/// <summary>What a client's delivery policy says about sending one SMS to one lead now.</summary>
public sealed record DeliveryDecision
{
    public DeliveryVerdict Verdict { get; private init; }

    /// <summary>For <see cref="DeliveryVerdict.Defer"/> the instant to send at; for <see cref="DeliveryVerdict.OutsideWindow"/> when the window opens.</summary>
    public DateTimeOffset? At { get; private init; }

    /// <summary>Why the message is not sent now, worded for the message's record and for problem details.</summary>
    public string? Reason { get; private init; }

    public static readonly DeliveryDecision SendNow = new() { Verdict = DeliveryVerdict.SendNow };

    public static DeliveryDecision Defer(DateTimeOffset at, string reason) => new() { Verdict = DeliveryVerdict.Defer, At = at, Reason = reason };

    public static DeliveryDecision Skip(string reason) => new() { Verdict = DeliveryVerdict.Skip, Reason = reason };

    public static DeliveryDecision OutsideWindow(DateTimeOffset opensAt, string reason) =>
        new() { Verdict = DeliveryVerdict.OutsideWindow, At = opensAt, Reason = reason };
}
