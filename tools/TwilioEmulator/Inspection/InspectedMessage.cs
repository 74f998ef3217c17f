namespace SmsRemarketing.TwilioEmulator.Inspection;

/// <summary>An accepted message as the emulator received it: every form field (repeats kept) and who sent it.</summary>
/// <param name="AuthUsername">The Basic user: the AccountSid or an API key SID.</param>
/// <param name="Sid">The message SID.</param>
/// <param name="AccountSid">The account in the path.</param>
/// <param name="ReceivedAt">When the create arrived.</param>
/// <param name="Status">The current status.</param>
/// <param name="Form">The form fields as received.</param>
public sealed record InspectedMessage(
    string Sid,
    string AccountSid,
    string AuthUsername,
    DateTimeOffset ReceivedAt,
    string Status,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Form);
