using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Features.Leads;

public sealed class LeadsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly int[] Numbers = [1, 2];

    [Fact]
    public async Task ALeadIsStoredInE164AndPublishesLeadCreatedInTheSameCommit()
    {
        using var tenant = await api.CreateTenantAsync();

        var lead = await tenant.CreateLeadAsync(new
        {
            phone = "+1 (415) 555-2671",
            first_name = "Ada",
            email = "ada@example.test",
            custom_fields = new { plan = "gold", visits = 3 },
            timezone = "America/Los_Angeles",
            locale = "en-US",
        });
        var id = lead.GetProperty("id").GetGuid();

        Assert.Equal("+14155552671", lead.GetProperty("phone").GetString());
        Assert.Equal("gold", lead.GetProperty("custom_fields").GetProperty("plan").GetString());
        Assert.False(lead.GetProperty("opted_out").GetBoolean());
        var body = await api.Database.ScalarAsync<string>(
            "SELECT body FROM outbox_messages WHERE message_type = 'SmsRemarketing.Contracts.LeadCreated' AND body::jsonb ->> 'leadId' = $1", id.ToString());
        using var published = JsonDocument.Parse(body!);
        Assert.Equal(tenant.Id, published.RootElement.GetProperty("clientId").GetGuid());
        Assert.Equal("+14155552671", published.RootElement.GetProperty("phone").GetString());
        Assert.Equal(3, published.RootElement.GetProperty("customFields").GetProperty("visits").GetInt32());
    }

    [Fact]
    public async Task ANationalNumberNeedsARegion()
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsJsonAsync("/leads", new { phone = "(415) 555-2671" })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var lead = await tenant.CreateLeadAsync(new { phone = "(415) 555-2671", region = "US" });

        Assert.Contains("country code", problem.GetProperty("errors").GetProperty("phone")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("+14155552671", lead.GetProperty("phone").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("+1 555")]
    [InlineData("+999 123456789")]
    [InlineData("call me maybe")]
    [InlineData("+1415555267100000")]
    public async Task AnInvalidPhoneIsRefused(string phone)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsJsonAsync("/leads", new { phone })).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("phone", out _));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ADuplicatePhoneIs409UnlessUpsertIsAsked()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = await tenant.CreateLeadAsync("+442071838750", firstName: "Old");

        var conflict = await (await tenant.Http.PostAsJsonAsync("/leads", new { phone = "+44 20 7183 8750" })).ReadProblemAsync(HttpStatusCode.Conflict);
        var upserted = await (await tenant.Http.PostAsJsonAsync("/leads?upsert=true", new { phone = "+44 20 7183 8750", first_name = "New" }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(id, conflict.GetProperty("lead_id").GetGuid());
        Assert.Equal(id, upserted.GetProperty("id").GetGuid());
        Assert.Equal("New", upserted.GetProperty("first_name").GetString());
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE message_type = 'SmsRemarketing.Contracts.LeadCreated' AND body::jsonb ->> 'leadId' = $1", id.ToString()));
    }

    [Fact]
    public async Task TwoClientsMayHaveTheSamePhone()
    {
        using var one = await api.CreateTenantAsync();
        using var two = await api.CreateTenantAsync();

        var first = await one.CreateLeadAsync("+14155552671");
        var second = await two.CreateLeadAsync("+14155552671");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task SqlLookingCustomFieldsAreStoredFaithfully()
    {
        using var tenant = await api.CreateTenantAsync();
        var hostile = "'); DROP TABLE leads; --";

        var lead = await tenant.CreateLeadAsync(new
        {
            phone = "+14155550101",
            first_name = "Robert'); DROP TABLE clients;--",
            custom_fields = new Dictionary<string, object> { ["note"] = hostile, ["' OR 1=1 --"] = "key", ["nested"] = new { emoji = "🎉", list = Numbers } },
        });
        var fetched = await (await tenant.Http.GetAsync($"/leads/{lead.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(hostile, fetched.GetProperty("custom_fields").GetProperty("note").GetString());
        Assert.Equal("key", fetched.GetProperty("custom_fields").GetProperty("' OR 1=1 --").GetString());
        Assert.Equal("🎉", fetched.GetProperty("custom_fields").GetProperty("nested").GetProperty("emoji").GetString());
        Assert.Equal("Robert'); DROP TABLE clients;--", fetched.GetProperty("first_name").GetString());
        Assert.True(await api.Database.ScalarAsync<long>("SELECT count(*) FROM clients") > 0);
    }

    [Theory]
    [InlineData("{\"phone\": \"+14155550102\", \"custom_fields\": [1, 2]}", "custom_fields")]
    [InlineData("{\"phone\": \"+14155550102\", \"custom_fields\": \"text\"}", "custom_fields")]
    [InlineData("{\"phone\": \"+14155550102\", \"custom_fields\": {\"a\": \"nul\\u0000byte\"}}", "custom_fields")]
    [InlineData("{\"phone\": \"+14155550102\", \"custom_fields\": {\"a\": \"\\ud800\"}}", "custom_fields")]
    [InlineData("{\"phone\": \"+14155550102\", \"first_name\": \"nul\\u0000\"}", "first_name")]
    [InlineData("{\"phone\": \"+14155550102\", \"email\": \"nope\"}", "email")]
    [InlineData("{\"phone\": \"+14155550102\", \"timezone\": \"Nowhere/Land\"}", "timezone")]
    [InlineData("{\"phone\": \"+14155550102\", \"locale\": \"xx-NOT-A-LOCALE-AT-ALL\"}", "locale")]
    public async Task UnstorableOrInvalidFieldsAreValidationProblems(string json, string field)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsync("/leads", HttpAssertions.Json(json))).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task CustomFieldsHaveASizeLimit()
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsJsonAsync("/leads", new { phone = "+14155550103", custom_fields = new { blob = new string('x', 9000) } }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("bytes", problem.GetProperty("errors").GetProperty("custom_fields")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchChangesOnlyGivenFieldsAndEmptyTextClearsOne()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = (await tenant.CreateLeadAsync(new { phone = "+14155550104", first_name = "Ada", last_name = "Lovelace", custom_fields = new { a = 1 } }))
            .GetProperty("id").GetGuid();

        var patched = await (await tenant.Http.PatchAsJsonAsync($"/leads/{id}", new { last_name = "", custom_fields = new { b = 2 }, phone = "+1 415 555 0105" }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Ada", patched.GetProperty("first_name").GetString());
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("last_name").ValueKind);
        Assert.Equal("+14155550105", patched.GetProperty("phone").GetString());
        Assert.False(patched.GetProperty("custom_fields").TryGetProperty("a", out _));
        Assert.Equal(2, patched.GetProperty("custom_fields").GetProperty("b").GetInt32());
    }

    [Fact]
    public async Task PatchingToAnotherLeadsPhoneIs409()
    {
        using var tenant = await api.CreateTenantAsync();
        await tenant.CreateLeadAsync("+14155550106");
        var id = await tenant.CreateLeadAsync("+14155550107");

        await (await tenant.Http.PatchAsJsonAsync($"/leads/{id}", new { phone = "+14155550106" })).ReadProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("+14155550107", await api.Database.ScalarAsync<string>("SELECT phone FROM leads WHERE id = $1", id));
    }

    [Fact]
    public async Task DeletingALeadRemovesItAndASecondDeleteIs404()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = await tenant.CreateLeadAsync("+14155550108");

        var deleted = await tenant.Http.DeleteAsync($"/leads/{id}");
        await (await tenant.Http.DeleteAsync($"/leads/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await tenant.Http.GetAsync($"/leads/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherTenantsLeadIsNotFoundForEveryVerb()
    {
        using var owner = await api.CreateTenantAsync();
        using var intruder = await api.CreateTenantAsync();
        var id = await owner.CreateLeadAsync("+14155550109");

        await (await intruder.Http.GetAsync($"/leads/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PatchAsJsonAsync($"/leads/{id}", new { first_name = "Mallory" })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.DeleteAsync($"/leads/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        var list = await (await intruder.Http.GetAsync("/leads")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Equal("Ada", await api.Database.ScalarAsync<string>("SELECT first_name FROM leads WHERE id = $1", id));
    }

    [Fact]
    public async Task ListingFiltersAndPagesWithACursor()
    {
        using var tenant = await api.CreateTenantAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await tenant.CreateLeadAsync($"+1415555012{i}"));
        }

        var byPhone = await (await tenant.Http.GetAsync("/leads?phone=%2B1%20415%20555%200122")).ReadJsonAsync(HttpStatusCode.OK);
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await tenant.Http.GetAsync($"/leads?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        var optedOut = await (await tenant.Http.GetAsync("/leads?opted_out=true")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(ids[2], Assert.Single(byPhone.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(ids.Order(), seen.Order());
        Assert.Empty(optedOut.GetProperty("data").EnumerateArray());
    }
}
