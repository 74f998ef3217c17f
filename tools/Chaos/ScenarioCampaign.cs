namespace SmsRemarketing.Chaos;

/// <summary>
/// A scenario's campaign, as a draft until the fault: a segment of leads of its own (custom field <c>chaos_cohort</c>),
/// so no other message goes to them and the frequency cap holds none back, and a template that names each lead, so
/// every SMS has a body of its own (the emulator's copies are counted per body). <see cref="OptOutWhileSending"/> are
/// leads of it opted out once it is scheduled.
/// </summary>
internal sealed record ScenarioCampaign(Guid Id, IReadOnlyList<Guid> OptOutWhileSending);
