using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Credits;

namespace SmsRemarketing.Api.Features.Credits;

internal sealed record AddCreditsRequest(Guid? ClientId, long? Amount, string? Reference);

/// <summary><see cref="Replayed"/>: the reference was already used, so nothing was added this time.</summary>
internal sealed record AddCreditsResponse(Guid ClientId, long Credits, long TransactionId, long Amount, string Reference, bool Replayed);

/// <summary><c>POST /credits/add</c> (admin): once per reference.</summary>
internal static class AddCredits
{
    private const long MaxPurchase = 10_000_000;

    public static async Task<Results<Ok<AddCreditsResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
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

    private static Task<CreditTransaction?> FindAsync(SmsDbContext db, Guid clientId, string reference, CancellationToken cancellationToken) =>
        db.CreditTransactions.AsNoTracking().SingleOrDefaultAsync(t => t.ClientId == clientId && t.Reference == reference, cancellationToken);

    private static async Task<AddCreditsResponse> ResponseAsync(SmsDbContext db, CreditTransaction transaction, bool replayed, CancellationToken cancellationToken)
    {
        var balance = await db.Clients.Where(c => c.Id == transaction.ClientId).Select(c => c.CreditBalance).SingleAsync(cancellationToken);
        return new AddCreditsResponse(transaction.ClientId, balance, transaction.Id, transaction.Amount, transaction.Reference!, replayed);
    }
}
