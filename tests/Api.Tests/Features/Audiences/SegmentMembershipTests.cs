using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Features.Audiences;

/// <summary>Which leads a segment selects: each filter against the same six leads of a tenant, and one of another tenant.</summary>
public sealed class SegmentMembershipTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] GoldInAnArray = ["gold"];

    [Theory]
    [InlineData("""{"field": "custom_fields.plan", "op": "eq", "value": "gold"}""", "ada,cyd")]
    [InlineData("""{"field": "custom_fields.plan", "op": "ne", "value": "gold"}""", "bob,dan,eve")]
    [InlineData("""{"field": "custom_fields.plan", "op": "in", "value": ["silver", "gold"]}""", "ada,bob,cyd")]
    [InlineData("""{"field": "custom_fields.visits", "op": "gt", "value": 4}""", "ada,cyd")]
    [InlineData("""{"field": "custom_fields.visits", "op": "lte", "value": 3}""", "bob")]
    [InlineData("""{"field": "custom_fields.visits", "op": "eq", "value": 12.0}""", "ada")]
    [InlineData("""{"field": "custom_fields.vip", "op": "eq", "value": true}""", "ada")]
    [InlineData("""{"field": "custom_fields.note", "op": "contains", "value": "COFFEE"}""", "ada")]
    [InlineData("""{"field": "custom_fields.note", "op": "prefix", "value": "loves"}""", "ada")]
    [InlineData("""{"field": "custom_fields.signup", "op": "gte", "value": "2025-03-01T12:00:00Z"}""", "dan")]
    [InlineData("""{"field": "custom_fields.signup", "op": "lt", "value": "2025-03-01"}""", "ada")]
    [InlineData("""{"field": "custom_fields.signup", "op": "exists"}""", "ada,bob,cyd,dan")]
    [InlineData("""{"field": "custom_fields.tag", "op": "exists", "value": false}""", "ada,bob,cyd,dan,eve")]
    [InlineData("""
        {"any": [
          {"field": "custom_fields.plan", "op": "eq", "value": "silver"},
          {"all": [{"field": "custom_fields.plan", "op": "eq", "value": "gold"}, {"not": {"field": "custom_fields.visits", "op": "gte", "value": 10}}]}
        ]}
        """, "bob,cyd")]
    [InlineData("""{"field": "phone", "op": "prefix", "value": "+1212"}""", "cyd")]
    [InlineData("""{"not": {"field": "phone", "op": "prefix", "value": "+1415"}}""", "cyd")]
    [InlineData("""{"field": "first_name", "op": "in", "value": ["ada", "eve"]}""", "ada,eve")]
    [InlineData("""{"field": "first_name", "op": "prefix", "value": "A"}""", "ada")]
    [InlineData("""{"field": "email", "op": "exists", "value": false}""", "bob,cyd,dan,eve")]
    [InlineData("""{"field": "last_name", "op": "ne", "value": "Lovelace"}""", "bob,cyd,dan,eve")]
    public async Task ASegmentSelectsExactlyTheLeadsItsFilterDescribesAndCountsThem(string filter, string expected)
    {
        using var tenant = await api.CreateTenantAsync();
        using var other = await api.CreateTenantAsync(name: "Other");
        await ArrangeLeadsAsync(tenant);
        // Another tenant's lead that matches every filter above on its own fields.
        await other.CreateLeadAsync(new { phone = "+12125550199", first_name = "ada", custom_fields = new { plan = "gold", visits = 12, signup = "2025-03-02", note = "loves coffee" } });

        var segment = await CreateAsync(tenant, filter);
        var members = await MemberNamesAsync(tenant, segment);
        var count = await CountAsync(tenant, segment);

        Assert.Equal(expected.Split(','), members.Order(StringComparer.Ordinal));
        Assert.Equal(members.Count, count);
    }

    [Fact]
    public async Task DayCountsReadCreatedAtAndCustomDatesAgainstNow()
    {
        using var tenant = await api.CreateTenantAsync();
        var old = await tenant.CreateLeadAsync("+14155550111", "old");
        var recent = await tenant.CreateLeadAsync("+14155550112", "recent");
        await tenant.CreateLeadAsync(new { phone = "+14155550113", first_name = "lapsed", custom_fields = new { last_order = DateTimeOffset.UtcNow.AddDays(-45).ToString("O", CultureInfo.InvariantCulture) } });
        await tenant.CreateLeadAsync(new { phone = "+14155550114", first_name = "buyer", custom_fields = new { last_order = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) } });
        await api.Database.ExecuteAsync("UPDATE leads SET created_at = $2 WHERE id = $1", old, DateTimeOffset.UtcNow.AddDays(-40));
        await api.Database.ExecuteAsync("UPDATE leads SET created_at = $2 WHERE id = $1", recent, DateTimeOffset.UtcNow.AddDays(-10));

        var older = await CreateAsync(tenant, """{"field": "created_at", "op": "older_than_days", "value": 30}""");
        var newer = await CreateAsync(tenant, """{"all": [{"field": "created_at", "op": "newer_than_days", "value": 30}, {"field": "created_at", "op": "older_than_days", "value": 1}]}""");
        var lapsed = await CreateAsync(tenant, """{"field": "custom_fields.last_order", "op": "older_than_days", "value": 30}""");
        var buyers = await CreateAsync(tenant, """{"field": "custom_fields.last_order", "op": "newer_than_days", "value": 30}""");

        Assert.Equal(["old"], await MemberNamesAsync(tenant, older));
        Assert.Equal(["recent"], await MemberNamesAsync(tenant, newer));
        Assert.Equal(["lapsed"], await MemberNamesAsync(tenant, lapsed));
        Assert.Equal(["buyer"], await MemberNamesAsync(tenant, buyers));
    }

    [Fact]
    public async Task OptedOutAndUnconfirmedLeadsAreNeverMembers()
    {
        using var tenant = await api.CreateTenantAsync();
        var stays = await tenant.CreateLeadAsync("+14155550121", "stays");
        var leaves = await tenant.CreateLeadAsync("+14155550122", "leaves");
        var segment = await CreateAsync(tenant, """{"field": "first_name", "op": "exists"}""");
        Assert.Equal(2, await CountAsync(tenant, segment));

        await (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = leaves })).ReadJsonAsync(HttpStatusCode.OK);
        (await tenant.Http.PatchAsJsonAsync("/compliance/consent-settings", new { double_opt_in = true, confirmation_text = "Acme: reply YES for deals." }))
            .EnsureSuccessStatusCode();
        var unconfirmed = await tenant.CreateLeadAsync(new { phone = "+14155550123", first_name = "unconfirmed" });

        Assert.True(unconfirmed.GetProperty("awaiting_confirmation").GetBoolean());
        Assert.Equal(1, await CountAsync(tenant, segment));
        var member = Assert.Single((await GetAsync(tenant, $"/segments/{segment}/leads")).GetProperty("data").EnumerateArray());
        Assert.Equal(stays, member.GetProperty("id").GetGuid());
        Assert.False(member.GetProperty("opted_out").GetBoolean());
    }

    [Fact]
    public async Task TheLeadsOfASegmentArePagedNewestFirstWithTheLeadShapeOfGetLeads()
    {
        using var tenant = await api.CreateTenantAsync();
        var matching = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            matching.Add(await tenant.CreateLeadAsync($"+1415555014{i}", "member"));
            await tenant.CreateLeadAsync($"+1415555015{i}", "outsider");
        }

        var segment = await CreateAsync(tenant, """{"field": "first_name", "op": "eq", "value": "member"}""");
        var walked = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await GetAsync(tenant, $"/segments/{segment}/leads?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            walked.AddRange(page.GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(matching), walked);
        Assert.Equal(3, pages);
        var asLeadsShowsIt = (await GetAsync(tenant, "/leads?limit=200")).GetProperty("data").EnumerateArray().Single(l => l.GetProperty("id").GetGuid() == matching[0]);
        var asSegmentShowsIt = (await GetAsync(tenant, $"/segments/{segment}/leads?limit=200")).GetProperty("data").EnumerateArray().Last();
        Assert.Equal(asLeadsShowsIt.EnumerateObject().Select(p => p.Name), asSegmentShowsIt.EnumerateObject().Select(p => p.Name));
        Assert.Equal(5, await CountAsync(tenant, segment));
    }

    [Fact]
    public async Task AnUnsavedFilterCanBeCounted()
    {
        using var tenant = await api.CreateTenantAsync();
        await ArrangeLeadsAsync(tenant);

        var preview = await (await tenant.Http.PostAsync("/segments/preview", HttpAssertions.Json("""{"filter": {"field": "custom_fields.plan", "op": "eq", "value": "gold"}}""")))
            .ReadJsonAsync(HttpStatusCode.OK);
        var bad = await (await tenant.Http.PostAsync("/segments/preview", HttpAssertions.Json("""{"filter": {"all": [{"field": "plan", "op": "eq", "value": "gold"}]}}""")))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(2, preview.GetProperty("count").GetInt64());
        Assert.Equal(["filter.all[0].field"], bad.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    /// <summary>Six leads named by first name; fay matches most filters but is opted out.</summary>
    private static async Task ArrangeLeadsAsync(Tenant tenant)
    {
        await tenant.CreateLeadAsync(new
        {
            phone = "+14155550101", first_name = "ada", last_name = "Lovelace", email = "ada@example.com",
            custom_fields = new { plan = "gold", visits = 12, signup = "2025-01-10", vip = true, note = "Loves coffee" },
        });
        await tenant.CreateLeadAsync(new { phone = "+14155550102", first_name = "bob", custom_fields = new { plan = "silver", visits = 3, signup = "2025-03-01T10:00:00Z", vip = false } });
        // 30 February: a custom "date" that is not one is no date at all, and fails nobody's query.
        await tenant.CreateLeadAsync(new { phone = "+12125550103", first_name = "cyd", custom_fields = new { plan = "gold", visits = 5, signup = "2025-02-30", tag = (string?)null } });
        // A plan held in an array, visits as a string: neither equals the scalar "gold" nor compares as a number.
        await tenant.CreateLeadAsync(new { phone = "+14155550104", first_name = "dan", custom_fields = new { plan = GoldInAnArray, visits = "12", signup = "2025-03-01T09:00:00-05:00" } });
        await tenant.CreateLeadAsync(new { phone = "+14155550105", first_name = "eve" });
        var fay = (await tenant.CreateLeadAsync(new { phone = "+14155550106", first_name = "fay", custom_fields = new { plan = "gold", visits = 20, signup = "2025-03-05", note = "loves coffee" } }))
            .GetProperty("id").GetGuid();
        await (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = fay })).ReadJsonAsync(HttpStatusCode.OK);
    }

    private static async Task<Guid> CreateAsync(Tenant tenant, string filter)
    {
        var response = await tenant.Http.PostAsync("/segments", HttpAssertions.Json($$"""{"name": "s-{{Guid.NewGuid():N}}", "filter": {{filter}}}"""));
        return (await response.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> GetAsync(Tenant tenant, string path) => await (await tenant.Http.GetAsync(path)).ReadJsonAsync(HttpStatusCode.OK);

    private static async Task<long> CountAsync(Tenant tenant, Guid segment) =>
        (await GetAsync(tenant, $"/segments/{segment}/count")).GetProperty("count").GetInt64();

    private static async Task<List<string>> MemberNamesAsync(Tenant tenant, Guid segment) =>
        [.. (await GetAsync(tenant, $"/segments/{segment}/leads?limit=200")).GetProperty("data").EnumerateArray().Select(l => l.GetProperty("first_name").GetString()!)];
}
