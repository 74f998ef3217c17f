namespace SmsRemarketing.Api.Features.Prices;

internal sealed record PriceResponse(string Country, int CreditsPerSegment, DateTimeOffset UpdatedAt);
