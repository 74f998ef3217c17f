using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Features.Compliance;

/// <summary>
/// A tenant's delivery policy, read-only for the tenant (the admin sets it on <c>PATCH /clients/{id}</c>).
/// <see cref="AllowedCategories"/>: the message categories it may use; quiet hours and the cap apply to marketing only.
/// </summary>
internal sealed record DeliveryPolicyResponse(
    bool QuietHoursEnabled, TimeOnly SendingWindowStart, TimeOnly SendingWindowEnd, string Timezone, List<FrequencyCapRule> FrequencyCaps,
    FrequencyCapAction FrequencyCapAction, int MaxSegments, bool PayPerSegment,
    List<MessageCategory> AllowedCategories,
    string HomeCountry, List<string> AllowedCountries, List<string> DeniedNumberTypes, int? DailyMessageCap, long? DailyCreditCap)
{
    public static readonly Expression<Func<Client, DeliveryPolicyResponse>> Projection = c => new DeliveryPolicyResponse(
        c.QuietHoursEnabled, c.SendingWindowStart, c.SendingWindowEnd, c.Timezone, c.FrequencyCaps, c.FrequencyCapAction, c.MaxSegments, c.PayPerSegment,
        c.AllowedCategories, c.HomeCountry, c.AllowedCountries, c.DeniedNumberTypes, c.DailyMessageCap, c.DailyCreditCap);
}

/// <summary>
/// <c>GET /compliance/delivery-policy</c>. Read-only for the tenant: quiet hours and caps keep every sender of the
/// service within telemarketing rules and carrier filtering, and pricing is billing, so only the operator (admin key) changes them.
/// </summary>
internal static class GetDeliveryPolicy
{
    public static async Task<Results<Ok<DeliveryPolicyResponse>, ProblemHttpResult>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, CancellationToken cancellationToken)
    {
        var clientId = user.ClientId();
        return await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(DeliveryPolicyResponse.Projection)
                .SingleOrDefaultAsync(cancellationToken) is { } policy
            ? TypedResults.Ok(policy)
            : ApiProblems.NotFound("client");
    }
}
