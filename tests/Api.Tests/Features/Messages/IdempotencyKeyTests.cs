using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Messages;

public sealed class IdempotencyKeyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task TheSameKeyAndBodyAnswerTheFirstResultAndQueueNothingNew()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550160");

        var first = await (await SendAsync(tenant, "order-7", new { lead_id = lead, body = "Your order shipped" })).ReadJsonAsync(HttpStatusCode.Accepted);
        var retry = await (await SendAsync(tenant, "order-7", new { body = "Your order shipped", lead_id = lead })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(first.GetProperty("id").GetGuid(), retry.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("body").GetString(), retry.GetProperty("body").GetString());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE message_type LIKE '%SendSmsRequested' AND body::jsonb ->> 'clientId' = $1", tenant.Id.ToString()));
    }

    [Fact]
    public async Task ConcurrentRetriesWithOneKeyQueueOneMessage()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550161");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendAsync(tenant, "burst", new { lead_id = lead, body = "Once" })));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid()));

        Assert.Single(ids.Distinct());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIs422()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550162");
        await (await SendAsync(tenant, "k1", new { lead_id = lead, body = "One" })).ReadJsonAsync(HttpStatusCode.Accepted);

        var problem = await (await SendAsync(tenant, "k1", new { lead_id = lead, body = "Two" })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("different request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task KeysBelongToTheirClient()
    {
        using var one = await api.CreateTenantAsync();
        using var two = await api.CreateTenantAsync();
        var leadOne = await one.CreateLeadAsync("+14155550163");
        var leadTwo = await two.CreateLeadAsync("+14155550163");

        var first = await (await SendAsync(one, "shared-key", new { lead_id = leadOne, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);
        var second = await (await SendAsync(two, "shared-key", new { lead_id = leadTwo, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task AnExpiredKeyQueuesAgain()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550164");
        var first = await (await SendAsync(tenant, "daily", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);
        await api.Database.ExecuteAsync("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE client_id = $1", tenant.Id);

        var second = await (await SendAsync(tenant, "daily", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.NotEqual(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(2L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ARefusedSendDoesNotUseUpTheKey()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var lead = await tenant.CreateLeadAsync("+14155550165");
        await (await SendAsync(tenant, "retry-me", new { lead_id = lead, body = "Hi" })).ReadProblemAsync(HttpStatusCode.PaymentRequired);
        await (await admin.PostAsJsonAsync("/credits/add", new { client_id = tenant.Id, amount = 1, reference = "top-up" })).ReadJsonAsync(HttpStatusCode.OK);

        await (await SendAsync(tenant, "retry-me", new { lead_id = lead, body = "Hi" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    private static Task<HttpResponseMessage> SendAsync(Tenant tenant, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/messages/send") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return tenant.Http.SendAsync(request);
    }
}
