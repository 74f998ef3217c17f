using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Credits;

namespace SmsRemarketing.Api.Features.Credits;

internal sealed record CreditTransactionResponse(long Id, long Amount, CreditTransactionKind Kind, string? Reference, Guid? MessageId, DateTimeOffset CreatedAt);

internal sealed record CreditsResponse(long Balance, IReadOnlyList<CreditTransactionResponse> Transactions, string? NextCursor);

/// <summary>
/// <c>GET /credits</c>: the balance and the ledger, newest first. The ledger's id is its order (an identity), so its
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
        var balance = await db.Clients.Where(c => c.Id == clientId).Select(c => c.CreditBalance).SingleAsync(cancellationToken);
        var query = db.CreditTransactions.AsNoTracking().Where(t => t.ClientId == clientId);
        if (page.After is { } last)
        {
            query = query.Where(t => t.Id < last);
        }

        var rows = await query.OrderByDescending(t => t.Id).Take(page.Fetch)
            .Select(t => new CreditTransactionResponse(t.Id, t.Amount, t.Kind, t.Reference, t.MessageId, t.CreatedAt))
            .ToListAsync(cancellationToken);
        var ledger = page.ToPage(rows, r => r.Id.ToString(CultureInfo.InvariantCulture));
        return TypedResults.Ok(new CreditsResponse(balance, ledger.Data, ledger.NextCursor));
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
