using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SmsRemarketing.Chaos;

/// <summary>The few Api calls the scenarios make, over HTTP like any client: snake_case JSON, X-API-Key, X-Admin-Key.</summary>
internal sealed class TenantApi(HttpClient http, ChaosSettings settings)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ApiKey { get; private set; } = "";

    public Guid ClientId { get; private set; }

    /// <summary>A new client (one per scenario, so every count is per client) with <paramref name="credits"/>.</summary>
    public async Task CreateClientAsync(string name, long credits, CancellationToken cancellationToken)
    {
        // Quiet hours off: the scenarios run at any hour, and a deferred send is not what they test (the delivery
        // policy has its own tests); the frequency cap stays on (each lead gets one automated SMS). No number type
        // denied: the campaign's audience holds Twilio's test numbers that refuse a create (+1 500 is a personal number).
        var client = await AdminPostAsync<CreatedClient>("clients",
            new { name, email = $"{name}@chaos.test", timezone = "UTC", quiet_hours_enabled = false, denied_number_types = Array.Empty<string>() },
            cancellationToken);
        (ClientId, ApiKey) = (client.Id, client.ApiKey);
        await AdminPostAsync<JsonElement>("credits/add", new { client_id = ClientId, amount = credits, reference = $"{name}-credits" }, cancellationToken);
    }

    public async Task<Guid> CreateLeadAsync(string phone, string firstName, string? cohort, CancellationToken cancellationToken) =>
        (await PostAsync<Created>(settings.ApiUrl, "leads",
            cohort is null ? new { phone, first_name = firstName } : new { phone, first_name = firstName, custom_fields = new { chaos_cohort = cohort } },
            cancellationToken)).Id;

    public Task OptOutAsync(Guid leadId, CancellationToken cancellationToken) =>
        PostAsync<JsonElement>(settings.ApiUrl, "suppressions", new { lead_id = leadId, note = "chaos" }, cancellationToken);

    /// <summary>POST /suppressions during a fault: a number already opted out stays so, so it is retried until an Api answers.</summary>
    public Task OptOutAsync(Uri api, Guid leadId, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "suppressions"))
            {
                Content = JsonContent.Create(new { lead_id = leadId, note = "chaos, during the campaign" }, options: Json),
            };
            request.Headers.Add("X-API-Key", ApiKey);
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }, cancellationToken);

    /// <summary>A segment of the leads whose custom field <c>chaos_cohort</c> is <paramref name="cohort"/>.</summary>
    public async Task<Guid> CreateCohortSegmentAsync(string cohort, CancellationToken cancellationToken) =>
        (await PostAsync<Created>(settings.ApiUrl, "segments",
            new { name = $"chaos {cohort}", filter = new { field = "custom_fields.chaos_cohort", op = "eq", value = cohort } }, cancellationToken)).Id;

    /// <summary>A draft campaign of <paramref name="templateId"/> to <paramref name="segmentId"/>, due when it is scheduled.</summary>
    public async Task<Guid> CreateCampaignAsync(string name, Guid segmentId, Guid templateId, CancellationToken cancellationToken) =>
        (await PostAsync<Created>(settings.ApiUrl, "campaigns", new { name, segment_id = segmentId, template_id = templateId }, cancellationToken)).Id;

    /// <summary>
    /// POST /campaigns/{id}/schedule until an Api answers. A schedule whose answer was lost may have committed: the
    /// retry then finds the campaign no longer a draft (409 with its status), which is the same success. Any other
    /// refusal (402, 422) is a broken promise of the setup, and throws.
    /// </summary>
    public Task ScheduleCampaignAsync(Uri api, Guid campaignId, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, $"campaigns/{campaignId}/schedule"));
            request.Headers.Add("X-API-Key", ApiKey);
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.Conflict when problem.Contains("\"campaign_status\"", StringComparison.Ordinal) => true,
                HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => false,
                _ => throw new InvalidOperationException($"scheduling campaign {campaignId} answered {(int)response.StatusCode}: {problem}"),
            };
        }, cancellationToken);

    /// <summary>GET /campaigns/{id}: its status and the credits the Api reports for it.</summary>
    public async Task<CampaignView> GetCampaignAsync(Guid campaignId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.ApiUrl, $"campaigns/{campaignId}"));
        request.Headers.Add("X-API-Key", ApiKey);
        return await ReadAsync<CampaignView>(request, cancellationToken);
    }

    public async Task<Guid> CreateTemplateAsync(string name, string body, CancellationToken cancellationToken) =>
        (await PostAsync<Created>(settings.ApiUrl, "templates", new { name, body }, cancellationToken)).Id;

    public async Task<Guid> CreateInactiveLeadAgeTriggerAsync(Guid templateId, int days, CancellationToken cancellationToken) =>
        (await PostAsync<Created>(settings.ApiUrl, "triggers", new { name = "chaos lead_age", type = "lead_age", template_id = templateId, days, is_active = false },
            cancellationToken)).Id;

    /// <summary>PATCH is_active: idempotent, so it is retried until an Api answers.</summary>
    public Task ActivateTriggerAsync(Uri api, Guid triggerId, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(api, $"triggers/{triggerId}"))
            {
                Content = JsonContent.Create(new { is_active = true }, options: Json),
            };
            request.Headers.Add("X-API-Key", ApiKey);
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }, cancellationToken);

    /// <summary>POST /triggers/{id}/sweep: once-only firings make a repeated or interrupted sweep safe to retry.</summary>
    public Task SweepAsync(Uri api, Guid triggerId, CancellationToken cancellationToken) =>
        RetryAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, $"triggers/{triggerId}/sweep"));
            request.Headers.Add("X-API-Key", ApiKey);
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode;
        }, cancellationToken);

    /// <summary>One POST /messages/send; the caller retries with the same key and body.</summary>
    public async Task<SendAnswer> SendAsync(Uri api, Guid leadId, string body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, "messages/send"))
        {
            Content = JsonContent.Create(new { lead_id = leadId, body }, options: Json),
        };
        request.Headers.Add("X-API-Key", ApiKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            var message = await response.Content.ReadFromJsonAsync<Created>(Json, cancellationToken);
            return new SendAnswer(response.StatusCode, message!.Id, null);
        }

        return new SendAnswer(response.StatusCode, null, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private async Task<T> AdminPostAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.ApiUrl, path)) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("X-Admin-Key", settings.AdminKey);
        return await ReadAsync<T>(request, cancellationToken);
    }

    private async Task<T> PostAsync<T>(Uri api, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, path)) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("X-API-Key", ApiKey);
        return await ReadAsync<T>(request, cancellationToken);
    }

    private async Task<T> ReadAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private static async Task RetryAsync(Func<Task<bool>> attempt, CancellationToken cancellationToken)
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                if (await attempt())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (tries < 300)
            {
            }
            catch (TaskCanceledException) when (tries < 300 && !cancellationToken.IsCancellationRequested)
            {
            }

            if (tries >= 300)
            {
                throw new InvalidOperationException("An idempotent Api call kept failing for 5 minutes.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private sealed record Created(Guid Id);

    private sealed record CreatedClient(Guid Id, string ApiKey);
}

/// <summary>What GET /campaigns/{id} says of a campaign: its status and its credits.</summary>
internal sealed record CampaignView(Guid Id, string Status, CampaignCreditsView? Credits);

/// <summary>The credits of GET /campaigns/{id}: reserved = spent + released + held; refunded went back to the client.</summary>
internal sealed record CampaignCreditsView(long Reserved, long Spent, long Released, long Held, long Refunded);

/// <summary>The Api's answer to a send: 202 with the message id, or another status with its body.</summary>
internal sealed record SendAnswer(HttpStatusCode Status, Guid? MessageId, string? Problem);
