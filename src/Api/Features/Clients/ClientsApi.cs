using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Api.Auth;
using SmsRemarketing.Api.Hosting;
using SmsRemarketing.Data;
using SmsRemarketing.Data.Clients;
using SmsRemarketing.Domain.Leads;

namespace SmsRemarketing.Api.Features.Clients;

/// <summary>The operator's view of tenants: create (the API key is shown once), list, read, change, rotate the key.</summary>
internal static partial class ClientsApi
{
    public static RouteGroupBuilder MapClients(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/clients").WithTags("Clients (admin)").RequireAuthorization(ApiAuthentication.AdminPolicy);
        group.MapPost("/", CreateAsync).WithSummary("Create a client; the answer holds its API key, shown this once.");
        group.MapGet("/", ListAsync).WithSummary("List clients, newest first.");
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPatch("/{id:guid}", UpdateAsync)
            .WithSummary("Change settings (delivery policy included: quiet hours, frequency caps, max_segments, pay_per_segment), or activate / deactivate (is_active).");
        group.MapPost("/{id:guid}/rotate-key", RotateKeyAsync).WithSummary("Replace the API key; the old one stops working at once.");
        return group;
    }

    private static async Task<Results<Created<ClientWithKeyResponse>, ValidationProblem>> CreateAsync(
        CreateClientRequest request, SmsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Text("name", request.Name, 200, required: true);
        errors.Email("email", request.Email, required: true);
        errors.TimeZone("timezone", request.Timezone);
        var fromNumber = ValidateSender(errors, request.FromNumber, request.MessagingServiceSid);
        DeliverySettingsRequest.Validate(errors, request.SendingWindowStart, request.SendingWindowEnd, request.FrequencyCaps,
            request.FrequencyCapAction, request.MaxSegments);
        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var (key, prefix, hash) = ApiKeys.Generate();
        var client = new Client
        {
            Name = request.Name!.Trim(),
            Email = request.Email!.Trim(),
            Timezone = FieldRules.Clean(request.Timezone) ?? "UTC",
            ApiKeyPrefix = prefix,
            ApiKeyHash = hash,
            FromNumber = fromNumber,
            MessagingServiceSid = FieldRules.Clean(request.MessagingServiceSid),
        };
        DeliverySettingsRequest.Apply(client, request.QuietHoursEnabled, request.SendingWindowStart, request.SendingWindowEnd,
            request.FrequencyCaps, request.FrequencyCapAction, request.MaxSegments, request.PayPerSegment);
        db.Clients.Add(client);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/clients/{client.Id}", ClientWithKeyResponse.From(client, key));
    }

    private static async Task<Results<Ok<Page<ClientResponse>>, ValidationProblem>> ListAsync(
        SmsDbContext db, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!Page<ClientResponse>.IsValidLimit(limit))
        {
            errors.Add("limit", $"Between 1 and {Page<ClientResponse>.MaxLimit}.");
        }

        if (!Cursor.TryDecode(cursor, out var after))
        {
            errors.Add("cursor", "Not a cursor from a previous page.");
        }

        if (!errors.IsValid)
        {
            return errors.ToProblem();
        }

        var query = db.Clients.AsNoTracking();
        if (after is { } position)
        {
            query = query.Where(c => c.CreatedAt < position.CreatedAt || (c.CreatedAt == position.CreatedAt && c.Id.CompareTo(position.Id) < 0));
        }

        var take = limit ?? Page<ClientResponse>.DefaultLimit;
        var rows = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Take(take + 1).Select(ClientResponse.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(Page<ClientResponse>.Of(rows, take, r => new Cursor(r.CreatedAt, r.Id)));
    }

    private static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> GetAsync(
        Guid id, SmsDbContext db, CancellationToken cancellationToken) =>
        await db.Clients.AsNoTracking().Where(c => c.Id == id).Select(ClientResponse.Projection).SingleOrDefaultAsync(cancellationToken)
            is { } client
            ? TypedResults.Ok(client)
            : ApiProblems.NotFound("client");

    private static async Task<Results<Ok<ClientResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
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
        var fromNumber = ValidateSender(errors, request.FromNumber, request.MessagingServiceSid);
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        // Validated against the stored window: a PATCH of only the start must not make it equal the end.
        DeliverySettingsRequest.Validate(errors, request.SendingWindowStart, request.SendingWindowEnd, request.FrequencyCaps,
            request.FrequencyCapAction, request.MaxSegments, client);
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
        client.Timezone = request.Timezone is null ? client.Timezone : FieldRules.Clean(request.Timezone) ?? "UTC";
        client.IsActive = request.IsActive ?? client.IsActive;
        client.FromNumber = request.FromNumber is null ? client.FromNumber : fromNumber;
        client.MessagingServiceSid = request.MessagingServiceSid is null ? client.MessagingServiceSid : FieldRules.Clean(request.MessagingServiceSid);
        DeliverySettingsRequest.Apply(client, request.QuietHoursEnabled, request.SendingWindowStart, request.SendingWindowEnd,
            request.FrequencyCaps, request.FrequencyCapAction, request.MaxSegments, request.PayPerSegment);
        client.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        keys.Evict(client.Id);
        return TypedResults.Ok(ClientResponse.From(client));
    }

    private static async Task<Results<Ok<ClientWithKeyResponse>, ProblemHttpResult>> RotateKeyAsync(
        Guid id, SmsDbContext db, ApiKeyCache keys, TimeProvider time, CancellationToken cancellationToken)
    {
        var client = await db.Clients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (client is null)
        {
            return ApiProblems.NotFound("client");
        }

        var (key, prefix, hash) = ApiKeys.Generate();
        client.ApiKeyPrefix = prefix;
        client.ApiKeyHash = hash;
        client.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        keys.Evict(client.Id);
        return TypedResults.Ok(ClientWithKeyResponse.From(client, key));
    }

    private static string? ValidateSender(ValidationErrors errors, string? fromNumber, string? messagingServiceSid)
    {
        if (!string.IsNullOrWhiteSpace(messagingServiceSid) && !MessagingServiceSid().IsMatch(messagingServiceSid))
        {
            errors.Add("messaging_service_sid", "A Twilio Messaging Service SID: MG and 32 hexadecimal digits.");
        }

        if (string.IsNullOrWhiteSpace(fromNumber))
        {
            return null;
        }

        var phone = PhoneNumberNormalizer.Normalize(fromNumber);
        if (!phone.IsValid)
        {
            errors.Add("from_number", phone.Error!);
        }

        return phone.E164;
    }

    [GeneratedRegex("^MG[0-9a-fA-F]{32}$")]
    private static partial Regex MessagingServiceSid();
}
