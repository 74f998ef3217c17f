using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Domain.Validation;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary>
/// Absent (or null) fields stay as they are; "" clears an optional field; <c>frequency_caps: []</c> removes the cap.
/// <see cref="AllowedCategories"/>: the message categories the client may use (marketing always among them).
/// </summary>
internal sealed record UpdateClientRequest(
    string? Name, string? Email, string? Timezone, bool? IsActive, string? FromNumber, string? MessagingServiceSid,
    bool? QuietHoursEnabled = null, string? SendingWindowStart = null, string? SendingWindowEnd = null,
    List<FrequencyCapRuleRequest?>? FrequencyCaps = null, string? FrequencyCapAction = null, int? MaxSegments = null, bool? PayPerSegment = null,
    List<string?>? AllowedCategories = null,
    string? HomeCountry = null, List<string?>? AllowedCountries = null, List<string?>? DeniedNumberTypes = null,
    int? DailyMessageCap = null, long? DailyCreditCap = null);

/// <summary><c>PATCH /clients/{id}</c> (admin): settings, delivery policy, activation. The key cache forgets the client at once.</summary>
internal static class UpdateClient
{
    public static async Task<Results<Ok<ClientResponse>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, UpdateClientRequest request, SmsDbContext db, ApiKeyCache keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            errors.Text("name", request.Name, 200, required: true);
        }

        if (request.Email is not null)
        {
            errors.Email("email", request.Email, required: true);
        }

        errors.TimeZone("timezone", request.Timezone);
        var fromNumber = ClientSender.Validate(errors, request.FromNumber, request.MessagingServiceSid);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        // Validated against the stored window: a PATCH of only the start must not make it equal the end.
        DeliverySettingsRequest.Validate(errors, request.SendingWindowStart, request.SendingWindowEnd, request.FrequencyCaps,
            request.FrequencyCapAction, request.MaxSegments, client);
        var categories = DeliverySettingsRequest.AllowedCategories(errors, request.AllowedCategories);
        DestinationSettingsRequest.Validate(errors, request.HomeCountry, request.AllowedCountries, request.DeniedNumberTypes,
            request.DailyMessageCap, request.DailyCreditCap);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        if (client is null)
        {
            return ApiProblems.NotFound("client");
        }

        client.Name = request.Name?.Trim() ?? client.Name;
        client.Email = request.Email?.Trim() ?? client.Email;
        client.Timezone = request.Timezone is null ? client.Timezone : FieldText.Clean(request.Timezone) ?? "UTC";
        client.IsActive = request.IsActive ?? client.IsActive;
        client.FromNumber = request.FromNumber is null ? client.FromNumber : fromNumber;
        client.MessagingServiceSid = request.MessagingServiceSid is null ? client.MessagingServiceSid : FieldText.Clean(request.MessagingServiceSid);
        DeliverySettingsRequest.Apply(client, request.QuietHoursEnabled, request.SendingWindowStart, request.SendingWindowEnd,
            request.FrequencyCaps, request.FrequencyCapAction, request.MaxSegments, request.PayPerSegment);
        client.AllowedCategories = categories ?? client.AllowedCategories;
        DestinationSettingsRequest.Apply(client, request.HomeCountry, request.AllowedCountries, request.DeniedNumberTypes,
            request.DailyMessageCap, request.DailyCreditCap);
        client.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        keys.Evict(client.Id);
        return TypedResults.Ok(ClientResponse.From(client));
    }
}
