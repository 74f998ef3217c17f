using SmsRemarketing.Data.Credits;

namespace SmsRemarketing.Api.Features.Credits;

internal sealed record AddCreditsRequest(Guid? ClientId, long? Amount, string? Reference);

/// <summary><see cref="Replayed"/>: the reference was already used, so nothing was added this time.</summary>
internal sealed record AddCreditsResponse(Guid ClientId, long Credits, long TransactionId, long Amount, string Reference, bool Replayed);

internal sealed record CreditTransactionResponse(long Id, long Amount, CreditTransactionKind Kind, string? Reference, Guid? MessageId, DateTimeOffset CreatedAt);

internal sealed record CreditsResponse(long Balance, IReadOnlyList<CreditTransactionResponse> Transactions, string? NextCursor);
