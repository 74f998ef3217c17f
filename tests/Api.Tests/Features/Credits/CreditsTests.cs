using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Credits;

public sealed class CreditsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task AddingCreditsRaisesTheBalanceTheTenantReads()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync(credits: 0);

        var added = await (await admin.PostAsJsonAsync("/credits/add", new { client_id = tenant.Id, amount = 250, reference = "order-1" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var credits = await (await tenant.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(250, added.GetProperty("credits").GetInt64());
        Assert.False(added.GetProperty("replayed").GetBoolean());
        Assert.Equal(250, credits.GetProperty("balance").GetInt64());
        var transaction = Assert.Single(credits.GetProperty("transactions").EnumerateArray());
        Assert.Equal("purchase", transaction.GetProperty("kind").GetString());
        Assert.Equal("order-1", transaction.GetProperty("reference").GetString());
    }

    [Fact]
    public async Task TheSameReferenceAddsCreditsOnlyOnce()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync(credits: 0);
        var request = new { client_id = tenant.Id, amount = 100, reference = "stripe-pi-42" };

        var first = await (await admin.PostAsJsonAsync("/credits/add", request)).ReadJsonAsync(HttpStatusCode.OK);
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => admin.PostAsJsonAsync("/credits/add", request)));
        var again = await (await admin.PostAsJsonAsync("/credits/add", request)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.All(concurrent, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.True(again.GetProperty("replayed").GetBoolean());
        Assert.Equal(first.GetProperty("transaction_id").GetInt64(), again.GetProperty("transaction_id").GetInt64());
        Assert.Equal(100L, await api.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", tenant.Id));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AReusedReferenceWithAnotherAmountIsRefused()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync(credits: 0);
        await (await admin.PostAsJsonAsync("/credits/add", new { client_id = tenant.Id, amount = 10, reference = "r-1" })).ReadJsonAsync(HttpStatusCode.OK);

        await (await admin.PostAsJsonAsync("/credits/add", new { client_id = tenant.Id, amount = 99, reference = "r-1" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(10L, await api.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", tenant.Id));
    }

    [Fact]
    public async Task TheSameReferenceForTwoClientsAddsToEach()
    {
        using var admin = api.Admin();
        using var one = await api.CreateTenantAsync(credits: 0);
        using var two = await api.CreateTenantAsync(credits: 0);

        await (await admin.PostAsJsonAsync("/credits/add", new { client_id = one.Id, amount = 5, reference = "shared" })).ReadJsonAsync(HttpStatusCode.OK);
        await (await admin.PostAsJsonAsync("/credits/add", new { client_id = two.Id, amount = 7, reference = "shared" })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(5, (await (await one.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("balance").GetInt64());
        Assert.Equal(7, (await (await two.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("balance").GetInt64());
    }

    [Theory]
    [InlineData("{\"amount\": 10, \"reference\": \"x\"}", "client_id")]
    [InlineData("{\"client_id\": \"00000000-0000-0000-0000-000000000001\", \"amount\": 0, \"reference\": \"x\"}", "amount")]
    [InlineData("{\"client_id\": \"00000000-0000-0000-0000-000000000001\", \"amount\": -5, \"reference\": \"x\"}", "amount")]
    [InlineData("{\"client_id\": \"00000000-0000-0000-0000-000000000001\", \"amount\": 10}", "reference")]
    public async Task AnInvalidAddIsAValidationProblem(string json, string field)
    {
        using var admin = api.Admin();

        var problem = await (await admin.PostAsync("/credits/add", HttpAssertions.Json(json))).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task CreditsForAnUnknownClientAre404()
    {
        using var admin = api.Admin();

        await (await admin.PostAsJsonAsync("/credits/add", new { client_id = Guid.NewGuid(), amount = 5, reference = "x" }))
            .ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheLedgerPagesNewestFirst()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync(credits: 0);
        for (var i = 1; i <= 3; i++)
        {
            await (await admin.PostAsJsonAsync("/credits/add", new { client_id = tenant.Id, amount = i, reference = $"p{i}" })).ReadJsonAsync(HttpStatusCode.OK);
        }

        var first = await (await tenant.Http.GetAsync("/credits?limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await tenant.Http.GetAsync($"/credits?limit=2&cursor={first.GetProperty("next_cursor").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([3L, 2L], first.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("amount").GetInt64()));
        Assert.Equal([1L], second.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("amount").GetInt64()));
        Assert.Equal(JsonValueKindNull, second.GetProperty("next_cursor").ValueKind);
        Assert.Equal(6, second.GetProperty("balance").GetInt64());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}
