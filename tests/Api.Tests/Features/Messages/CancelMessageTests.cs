using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Messages;

public sealed class CancelMessageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task CancelingAScheduledMessageMakesItCanceledAndListedAsSuch()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = await ScheduleAsync(tenant, "+14155550721");

        var canceled = await (await tenant.Http.PostAsync($"/messages/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(id, canceled.GetProperty("id").GetGuid());
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Equal("canceled", await api.Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE body::jsonb ->> 'messageId' = $1", id.ToString()));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE message_id = $1", id));
        var listed = await (await tenant.Http.GetAsync("/messages?status=canceled")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task CancelingTwiceIsAConflictThatSaysTheMessageIsCanceled()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = await ScheduleAsync(tenant, "+14155550722");
        await (await tenant.Http.PostAsync($"/messages/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);

        var problem = await (await tenant.Http.PostAsync($"/messages/{id}/cancel", null)).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("canceled", problem.GetProperty("message_status").GetString());
        Assert.Contains("canceled", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelingAMessageAlreadyQueuedIsAConflictThatSaysItIsQueued()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550723");
        var id = (await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted))
            .GetProperty("id").GetGuid();

        var problem = await (await tenant.Http.PostAsync($"/messages/{id}/cancel", null)).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("queued", problem.GetProperty("message_status").GetString());
        Assert.Equal("queued", await api.Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task CancelingAnotherTenantsMessageIsNotFoundAndLeavesItScheduled()
    {
        using var victim = await api.CreateTenantAsync();
        using var attacker = await api.CreateTenantAsync();
        var id = await ScheduleAsync(victim, "+14155550724");

        await (await attacker.Http.PostAsync($"/messages/{id}/cancel", null)).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await attacker.Http.PostAsync($"/messages/{Guid.NewGuid()}/cancel", null)).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("scheduled", await api.Database.ScalarAsync<string>("SELECT status FROM messages WHERE id = $1", id));
    }

    [Fact]
    public async Task CancelingAScheduledMessageThatKeptADebitRefundsIt()
    {
        using var tenant = await api.CreateTenantAsync(credits: 10);
        var id = await ScheduleAsync(tenant, "+14155550725");
        // As a take-over leaves it: claimed and debited, then sent back to wait with its debit (it is prepaid).
        await api.Database.ExecuteAsync("""
            WITH debit AS (
                INSERT INTO credit_transactions (client_id, amount, kind, message_id, created_at)
                SELECT client_id, -credit_cost, 'sms_debit', id, now() FROM messages WHERE id = $1)
            UPDATE messages SET attempts = 1 WHERE id = $1
            """, id);
        Assert.Equal(9L, await api.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", tenant.Id));

        await (await tenant.Http.PostAsync($"/messages/{id}/cancel", null)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE message_id = $1 AND kind = 'refund' AND amount = 1", id));
        Assert.Equal(10L, await api.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", tenant.Id));
        Assert.Equal(10, (await (await tenant.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("balance").GetInt64());
    }

    private static async Task<Guid> ScheduleAsync(Tenant tenant, string phone)
    {
        var lead = await tenant.CreateLeadAsync(phone);
        var message = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", send_at = DateTimeOffset.UtcNow.AddHours(2) }))
            .ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("scheduled", message.GetProperty("status").GetString());
        return message.GetProperty("id").GetGuid();
    }
}
