using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Credits;

namespace SmsRemarketing.Api.Features.Credits;

/// <summary>
/// Credits are only ever added as ledger rows; the balance is the database's sum of them. Adding is idempotent by
/// the caller's reference (a payment or order id), which the ledger holds unique per client.
/// </summary>
internal static class CreditsApi
{
    private const long MaxPurchase = 10_000_000;

    public static RouteGroupBuilder MapCredits(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/credits").WithTags("Credits");
        group.MapPost("/add", AddAsync).RequireAuthorization(ApiAuthentication.AdminPolicy)
            .WithSummary("Add credits to a client (admin). The same reference again adds nothing and answers the first result.");
        group.MapGet("/", GetAsync).RequireAuthorization(ApiAuthentication.TenantPolicy)
            .WithSummary("The client's balance and its ledger, newest first.");
        return group;
    }

    private static async Task<Results<Ok<AddCreditsResponse>, ValidationProblem, ProblemHttpResult>> AddAsync(
        AddCreditsRequest request, SmsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.ClientId is null)
        {
            errors.Add("client_id", "This field is required.");
        }

        if (request.Amount is not (>= 1 and <= MaxPurchase))
        {
            errors.Add("amount", $"A whole number of credits from 1 to {MaxPurchase}.");
        }

        errors.Text("reference", request.Reference, 200, required: true);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = request.ClientId!.Value;
        var reference = request.Reference!.Trim();
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
        {
            return ApiProblems.NotFound("client");
        }

        var existing = await FindAsync(db, clientId, reference, cancellationToken);
        if (existing is null)
        {
            var purchase = new CreditTransaction { ClientId = clientId, Amount = request.Amount!.Value, Kind = CreditTransactionKind.Purchase, Reference = reference };
            db.CreditTransactions.Add(purchase);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Ok(await ResponseAsync(db, purchase, replayed: false, cancellationToken));
            }
            catch (DbUpdateException exception) when (exception.IsUniqueViolation())
            {
                // A concurrent call with the same reference won; answer as its retry.
                db.ChangeTracker.Clear();
                existing = await FindAsync(db, clientId, reference, cancellationToken);
            }
        }

        return existing!.Amount == request.Amount
            ? TypedResults.Ok(await ResponseAsync(db, existing, replayed: true, cancellationToken))
            : ApiProblems.Unprocessable(
                $"Reference '{reference}' was already used to add {existing.Amount.ToString(CultureInfo.InvariantCulture)} credits; a reference adds credits once.");
    }

    private static async Task<Results<Ok<CreditsResponse>, ValidationProblem>> GetAsync(
        ClaimsPrincipal user, SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Page<CreditsResponse>.IsValidLimit(limit))
        {
            errors.Add("limit", $"Between 1 and {Page<CreditsResponse>.MaxLimit}.");
        }

        long? before = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                before = id;
            }
            else
            {
                errors.Add("cursor", "Not a cursor from a previous page.");
            }
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var clientId = user.ClientId();
        var take = limit ?? Page<CreditsResponse>.DefaultLimit;
        var balance = await db.Clients.Where(c => c.Id == clientId).Select(c => c.CreditBalance).SingleAsync(cancellationToken);
        var query = db.CreditTransactions.AsNoTracking().Where(t => t.ClientId == clientId);
        if (before is { } last)
        {
            query = query.Where(t => t.Id < last);
        }

        var rows = await query.OrderByDescending(t => t.Id).Take(take + 1)
            .Select(t => new CreditTransactionResponse(t.Id, t.Amount, t.Kind, t.Reference, t.MessageId, t.CreatedAt))
            .ToListAsync(cancellationToken);
        var next = rows.Count > take ? rows[take - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new CreditsResponse(balance, rows.Take(take).ToList(), next));
    }

    private static Task<CreditTransaction?> FindAsync(SmsDbContext db, Guid clientId, string reference, CancellationToken cancellationToken) =>
        db.CreditTransactions.AsNoTracking().SingleOrDefaultAsync(t => t.ClientId == clientId && t.Reference == reference, cancellationToken);

    private static async Task<AddCreditsResponse> ResponseAsync(SmsDbContext db, CreditTransaction transaction, bool replayed, CancellationToken cancellationToken)
    {
        var balance = await db.Clients.Where(c => c.Id == transaction.ClientId).Select(c => c.CreditBalance).SingleAsync(cancellationToken);
        return new AddCreditsResponse(transaction.ClientId, balance, transaction.Id, transaction.Amount, transaction.Reference!, replayed);
    }
}
