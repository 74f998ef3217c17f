using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;

namespace SmsRemarketing.Api.Features.Leads;

/// <summary>The 409 of a write that gave a lead a phone another lead of the client has, naming that lead.</summary>
internal static class DuplicatePhone
{
    public static async Task<ProblemHttpResult> ProblemAsync(SmsDbContext db, Guid clientId, string phone, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var existing = await db.Leads.Where(l => l.ClientId == clientId && l.Phone == phone).Select(l => (Guid?)l.Id).SingleOrDefaultAsync(cancellationToken);
        return ApiProblems.Conflict($"A lead with phone {phone} already exists; update it, or create with ?upsert=true.",
            new Dictionary<string, object?> { ["lead_id"] = existing });
    }
}
