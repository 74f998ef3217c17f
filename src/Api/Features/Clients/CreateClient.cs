using Microsoft.AspNetCore.Http.HttpResults;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Clients;

internal sealed record CreateClientRequest(
    string? Name, string? Email, string? Timezone, string? FromNumber, string? MessagingServiceSid,
    bool? QuietHoursEnabled = null, string? SendingWindowStart = null, string? SendingWindowEnd = null,
    List<FrequencyCapRuleRequest?>? FrequencyCaps = null, string? FrequencyCapAction = null, int? MaxSegments = null, bool? PayPerSegment = null,
    string? HomeCountry = null, List<string?>? AllowedCountries = null, List<string?>? DeniedNumberTypes = null,
    int? DailyMessageCap = null, long? DailyCreditCap = null);

/// <summary>
/// <c>POST /clients</c> (admin): the answer holds the API key, shown this once. Without <c>home_country</c>, the
/// home country is the time zone's (<see cref="HomeCountries"/>); changing the time zone later does not move it.
/// </summary>
internal static class CreateClient
{
    public static async Task<Results<Created<ClientWithKeyResponse>, ValidationProblem>> HandleAsync(
        CreateClientRequest request, SmsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        errors.Email("email", request.Email, required: true);
        errors.TimeZone("timezone", request.Timezone);
        var fromNumber = ClientSender.Validate(errors, request.FromNumber, request.MessagingServiceSid);
        DeliverySettingsRequest.Validate(errors, request.SendingWindowStart, request.SendingWindowEnd, request.FrequencyCaps,
            request.FrequencyCapAction, request.MaxSegments);
        DestinationSettingsRequest.Validate(errors, request.HomeCountry, request.AllowedCountries, request.DeniedNumberTypes,
            request.DailyMessageCap, request.DailyCreditCap);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var (key, prefix, hash) = ApiKeys.Generate();
        var client = new Client
        {
            Name = request.Name!.Trim(),
            Email = request.Email!.Trim(),
            Timezone = FieldText.Clean(request.Timezone) ?? "UTC",
            ApiKeyPrefix = prefix,
            ApiKeyHash = hash,
            FromNumber = fromNumber,
            MessagingServiceSid = FieldText.Clean(request.MessagingServiceSid),
        };
        DeliverySettingsRequest.Apply(client, request.QuietHoursEnabled, request.SendingWindowStart, request.SendingWindowEnd,
            request.FrequencyCaps, request.FrequencyCapAction, request.MaxSegments, request.PayPerSegment);
        DestinationSettingsRequest.Apply(client, request.HomeCountry ?? HomeCountries.FromTimeZone(client.Timezone), request.AllowedCountries,
            request.DeniedNumberTypes, request.DailyMessageCap, request.DailyCreditCap);
        db.Clients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/clients/{client.Id}", ClientWithKeyResponse.From(client, key));
    }
}
