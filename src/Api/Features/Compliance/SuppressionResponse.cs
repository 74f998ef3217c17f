using SmsRemarketing.Data;
using SmsRemarketing.Data.Consent;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// An opted-out number, the client's lead with it (if any), what opted it out, and who may lift it: <c>person</c>
/// (only an opt-in keyword from that phone) or <c>client</c> (the client, with proof of renewed consent).
/// </summary>
internal sealed record SuppressionResponse(
    string Phone, Guid? LeadId, DateTimeOffset OptedOutAt, ConsentEventSource Source, string? Detail, string LiftableBy)
{
    public const string ByThePerson = "person";
    public const string ByTheClient = "client";

    /// <summary>Who may lift an opt-out recorded by <paramref name="source"/> (<see cref="ConsentEventSources.RecordedByThePerson"/>).</summary>
    public static string WhoMayLift(ConsentEventSource source) => ConsentEventSources.RecordedByThePerson(source) ? ByThePerson : ByTheClient;

    /// <summary>The rows of <paramref name="consents"/> (opted out), each with the client's lead with that number.</summary>
    public static IQueryable<SuppressionResponse> Project(SmsDbContext db, IQueryable<PhoneConsent> consents) =>
        consents.Select(c => new SuppressionResponse(
            c.Phone,
            db.Leads.Where(l => l.ClientId == c.ClientId && l.Phone == c.Phone).Select(l => (Guid?)l.Id).FirstOrDefault(),
            c.OptedOutAt!.Value,
            c.OptOutSource!.Value,
            c.OptOutDetail,
            // WhoMayLift, written out: EF translates the comparison, not the method.
            c.OptOutSource == ConsentEventSource.Api ? ByTheClient : ByThePerson));
}
