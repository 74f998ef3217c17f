namespace SmsRemarketing.Domain.Consent;

/// <summary>How a person renewed their consent, as the client records it: a source (e.g. <c>web_form</c>), when, and the wording or a reference.</summary>
public sealed record ConsentProof(string Source, DateTimeOffset At, string Text);
