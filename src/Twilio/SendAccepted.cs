namespace SmsRemarketing.Twilio;

/// <summary>Twilio created the message (HTTP 2xx with a readable resource).</summary>
/// <param name="Sid">SM… or MM…; the key to deduplicate status callbacks on.</param>
/// <param name="Status">Usually "queued", or "accepted" with a messaging service.</param>
/// <param name="Segments">
/// <c>num_segments</c> as Twilio reported it; 0 with a messaging service until a sender is assigned, null when absent.
/// </param>
/// <param name="Message">The whole resource as parsed.</param>
public sealed record SendAccepted(string Sid, string Status, int? Segments, TwilioMessage Message) : TwilioSendResult;
