using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Credits;

namespace SmsRemarketing.Api.Features.Credits;

internal sealed record CreditTransactionResponse(
    long Id, long Amount, CreditTransactionKind Kind, string? Reference, Guid? MessageId, Guid? CampaignId, DateTimeOffset CreatedAt);

/// <summary>
/// <see cref="Balance"/>: the ledger's sum; <see cref="Reserved"/>: what scheduled campaigns hold of it;
/// <see cref="Available"/>: what any other send may spend (balance − reserved).
/// </summary>
internal sealed record CreditsResponse(long Balance, long Reserved, long Available, IReadOnlyList<CreditTransactionResponse> Transactions, string? NextCursor);

/// <summary>
/// <c>GET /credits</c>: the balance, what campaigns hold of it and what is available, and the ledger, newest first. The ledger's id is its order (an identity), so its
/// cursor is the last id seen, not a (created_at, id).
/// </summary>
internal static class GetCredits
{
    public static async Task<Results<Ok<CreditsResponse>, ValidationProblem>> HandleAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = Paging.Read<long>(errors, limit, cursor, TryDecodeId);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var credits = await db.Clients.Where(c => c.Id == clientId).Select(c => new { c.CreditBalance, c.CreditsReserved }).SingleAsync(cancellationToken);
        var query = db.CreditTransactions.AsNoTracking().Where(t => t.ClientId == clientId);
        if (page.After is { } last)
        {
            query = query.Where(t => t.Id < last);
        }

        var rows = await query.OrderByDescending(t => t.Id).Take(page.Fetch)
            .Select(t => new CreditTransactionResponse(t.Id, t.Amount, t.Kind, t.Reference, t.MessageId, t.CampaignId, t.CreatedAt))
            .ToListAsync(cancellationToken);
        var ledger = page.ToPage(rows, r => r.Id.ToString(CultureInfo.InvariantCulture));
        return TypedResults.Ok(new CreditsResponse(
            credits.CreditBalance, credits.CreditsReserved, credits.CreditBalance - credits.CreditsReserved, ledger.Data, ledger.NextCursor));
    }

    private static bool TryDecodeId(string? text, out long? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            return false;
        }

        id = parsed;
        return true;
    }
}
