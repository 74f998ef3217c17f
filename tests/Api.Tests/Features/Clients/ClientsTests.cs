using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace SmsRemarketing.Api.Tests.Features.Clients;

public sealed class ClientsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task CreatingAClientShowsItsApiKeyOnceAndStoresOnlyItsHash()
    {
        using var admin = api.Admin();

        var created = await (await admin.PostAsJsonAsync("/clients", new { name = "Acme", email = "ops@acme.test" })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var key = created.GetProperty("api_key").GetString()!;
        var fetched = await (await admin.GetAsync($"/clients/{id}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Matches("^sk_[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(key[..12], created.GetProperty("api_key_prefix").GetString());
        Assert.Equal(0, created.GetProperty("credits").GetInt64());
        Assert.True(created.GetProperty("is_active").GetBoolean());
        Assert.Equal("UTC", created.GetProperty("timezone").GetString());
        Assert.False(fetched.TryGetProperty("api_key", out _));
        var stored = await api.Database.ScalarAsync<byte[]>("SELECT api_key_hash FROM clients WHERE id = $1", id);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(key)), stored);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM clients WHERE api_key_prefix = $1 AND encode(api_key_hash, 'escape') LIKE '%' || $2 || '%'", key[..12], key[12..]));
    }

    [Fact]
    public async Task AClientNeedsANameAValidEmailAndAKnownTimeZone()
    {
        using var admin = api.Admin();

        var problem = await (await admin.PostAsJsonAsync("/clients", new { name = " ", email = "not-an-email", timezone = "Mars/Olympus" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.Contains("Mars/Olympus", errors.GetProperty("timezone")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminEndpointsRefuseAMissingOrWrongAdminKey()
    {
        using var anonymous = api.Anonymous();
        using var wrong = api.Anonymous();
        wrong.DefaultRequestHeaders.Add("X-Admin-Key", "definitely-not-the-admin-key");

        await (await anonymous.GetAsync("/clients")).ReadProblemAsync(HttpStatusCode.Unauthorized);
        var problem = await (await wrong.PostAsJsonAsync("/clients", new { name = "x", email = "x@x.test" })).ReadProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("admin key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM clients WHERE name = 'x'"));
    }

    [Fact]
    public async Task ATenantKeyNeverOpensAdminEndpoints()
    {
        using var tenant = await api.CreateTenantAsync(credits: 0);

        await (await tenant.Http.GetAsync("/clients")).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await tenant.Http.GetAsync($"/clients/{tenant.Id}")).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await tenant.Http.PostAsJsonAsync("/credits/add", new { client_id = tenant.Id, amount = 1000, reference = "self-service" }))
            .ReadProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", tenant.Id));
    }

    [Fact]
    public async Task ListingClientsWalksEveryClientOnceThroughTheCursor()
    {
        using var admin = api.Admin();
        for (var i = 0; i < 3; i++)
        {
            using var _ = await api.CreateTenantAsync(credits: 0, name: "paged");
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync($"/clients?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        var total = await api.Database.ScalarAsync<long>("SELECT count(*) FROM clients");
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task AnUnknownClientIs404AndABadCursorIs400()
    {
        using var admin = api.Admin();

        await (await admin.GetAsync($"/clients/{Guid.NewGuid()}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PatchAsJsonAsync($"/clients/{Guid.NewGuid()}", new { is_active = false })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/clients?cursor=garbage")).ReadProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.GetAsync("/clients?limit=0")).ReadProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ADeactivatedClientsKeyIsForbiddenUntilItIsReactivated()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync();
        await (await tenant.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);

        var deactivated = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { is_active = false })).ReadJsonAsync(HttpStatusCode.OK);
        var forbidden = await (await tenant.Http.GetAsync("/credits")).ReadProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { is_active = true })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.False(deactivated.GetProperty("is_active").GetBoolean());
        Assert.Contains("inactive", forbidden.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await (await tenant.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PatchingSettingsChangesOnlyTheGivenFields()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync(credits: 0);

        var updated = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { from_number = "+1 415 555 2671", timezone = "Europe/Paris" }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var invalid = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { from_number = "12", messaging_service_sid = "nope" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("+14155552671", updated.GetProperty("from_number").GetString());
        Assert.Equal("Europe/Paris", updated.GetProperty("timezone").GetString());
        Assert.Equal("Acme", updated.GetProperty("name").GetString());
        Assert.True(invalid.GetProperty("errors").TryGetProperty("from_number", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("messaging_service_sid", out _));
    }

    [Fact]
    public async Task RotatingTheKeyRetiresTheOldOneAtOnce()
    {
        using var admin = api.Admin();
        using var tenant = await api.CreateTenantAsync(credits: 0);
        await (await tenant.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);

        var rotated = await (await admin.PostAsync($"/clients/{tenant.Id}/rotate-key", null)).ReadJsonAsync(HttpStatusCode.OK);
        using var renewed = api.WithApiKey(rotated.GetProperty("api_key").GetString()!);

        Assert.NotEqual(tenant.ApiKey, rotated.GetProperty("api_key").GetString());
        await (await tenant.Http.GetAsync("/credits")).ReadProblemAsync(HttpStatusCode.Unauthorized);
        await (await renewed.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
    }
}
