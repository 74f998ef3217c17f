using System.Linq.Expressions;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Messages;

namespace SmsRemarketing.Api.Features.Clients;

internal sealed record ClientResponse(
    Guid Id, string Name, string Email, string Timezone, bool IsActive, long Credits, string ApiKeyPrefix,
    string? FromNumber, string? MessagingServiceSid,
    bool QuietHoursEnabled, TimeOnly SendingWindowStart, TimeOnly SendingWindowEnd, List<FrequencyCapRule> FrequencyCaps,
    FrequencyCapAction FrequencyCapAction, int MaxSegments, bool PayPerSegment, List<MessageCategory> AllowedCategories,
    string HomeCountry, List<string> AllowedCountries, List<string> DeniedNumberTypes, int? DailyMessageCap, long? DailyCreditCap,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static readonly Expression<Func<Client, ClientResponse>> Projection = c => new ClientResponse(
        c.Id, c.Name, c.Email, c.Timezone, c.IsActive, c.CreditBalance, c.ApiKeyPrefix,
        c.FromNumber, c.MessagingServiceSid,
        c.QuietHoursEnabled, c.SendingWindowStart, c.SendingWindowEnd, c.FrequencyCaps, c.FrequencyCapAction, c.MaxSegments, c.PayPerSegment, c.AllowedCategories,
        c.HomeCountry, c.AllowedCountries, c.DeniedNumberTypes, c.DailyMessageCap, c.DailyCreditCap,
        c.CreatedAt, c.UpdatedAt);

    private static readonly Func<Client, ClientResponse> Compiled = Projection.Compile();

    public static ClientResponse From(Client client) => Compiled(client);
}

/// <summary>A client with its API key: the only answers that ever contain the key (creation and rotation).</summary>
internal sealed record ClientWithKeyResponse(
    Guid Id, string Name, string Email, string Timezone, bool IsActive, long Credits, string ApiKey, string ApiKeyPrefix,
    string? FromNumber, string? MessagingServiceSid,
    bool QuietHoursEnabled, TimeOnly SendingWindowStart, TimeOnly SendingWindowEnd, List<FrequencyCapRule> FrequencyCaps,
    FrequencyCapAction FrequencyCapAction, int MaxSegments, bool PayPerSegment, List<MessageCategory> AllowedCategories,
    string HomeCountry, List<string> AllowedCountries, List<string> DeniedNumberTypes, int? DailyMessageCap, long? DailyCreditCap,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ClientWithKeyResponse From(Client client, string apiKey) => new(
        client.Id, client.Name, client.Email, client.Timezone, client.IsActive, client.CreditBalance, apiKey, client.ApiKeyPrefix,
        client.FromNumber, client.MessagingServiceSid,
        client.QuietHoursEnabled, client.SendingWindowStart, client.SendingWindowEnd, client.FrequencyCaps, client.FrequencyCapAction,
        client.MaxSegments, client.PayPerSegment, client.AllowedCategories,
        client.HomeCountry, client.AllowedCountries, client.DeniedNumberTypes, client.DailyMessageCap, client.DailyCreditCap,
        client.CreatedAt, client.UpdatedAt);
}
