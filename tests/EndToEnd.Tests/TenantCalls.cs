using System.Net.Http.Json;
using System.Text.Json;
using SmsRemarketing.Testing;

namespace SmsRemarketing.EndToEnd.Tests;

/// <summary>The tenant calls the end-to-end tests make, with failures that say what the Api answered.</summary>
internal static class TenantCalls
{
    public static async Task<JsonElement> PostAsync(this HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A manual send, accepted (queued, or recorded as suppressed); returns the message's id.</summary>
    public static async Task<Guid> SendAsync(this HttpClient tenant, Guid leadId, string body)
    {
        var accepted = await tenant.PostAsJsonAsync("/messages/send", new { lead_id = leadId, body });
        Assert.True(accepted.StatusCode == System.Net.HttpStatusCode.Accepted, $"send: {(int)accepted.StatusCode} {await accepted.Content.ReadAsStringAsync()}");
        return (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Waits for any of <paramref name="statuses"/>: a status callback may move a message on between polls.</summary>
    public static Task<JsonElement> WaitForStatusAsync(this HttpClient tenant, Guid messageId, params string[] statuses) =>
        Eventually.WaitAsync(
            async () => await tenant.GetFromJsonAsync<JsonElement>($"/messages/{messageId}"),
            message => statuses.Contains(message.GetProperty("status").GetString()),
            $"message {messageId} to be {string.Join(" or ", statuses)}");
}
