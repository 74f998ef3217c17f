using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Features.Audiences;

public sealed class SegmentsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] GoldOrSilver = ["gold", "silver"];

    private const string GoldFilter = """{"field": "custom_fields.plan", "op": "eq", "value": "gold"}""";

    [Fact]
    public async Task ASegmentIsSavedWithItsFilterWrittenOutAndListedNewestFirst()
    {
        using var tenant = await api.CreateTenantAsync();

        var created = await (await PostAsync(tenant, "vips", """{"all": [{"field": "custom_fields.vip", "op": "exists"}, {"not": {"field": "phone", "op": "prefix", "value": "+1212"}}]}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        var second = await (await PostAsync(tenant, "gold", GoldFilter)).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var fetched = await (await tenant.Http.GetAsync($"/segments/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        var list = await (await tenant.Http.GetAsync("/segments")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("vips", fetched.GetProperty("name").GetString());
        // exists without a value is stored as exists: true, so what is read back is what is evaluated.
        var filter = fetched.GetProperty("filter");
        Assert.Equal(["field", "op", "value"], filter.GetProperty("all")[0].EnumerateObject().Select(p => p.Name));
        Assert.True(filter.GetProperty("all")[0].GetProperty("value").GetBoolean());
        Assert.Equal("+1212", filter.GetProperty("all")[1].GetProperty("not").GetProperty("value").GetString());
        Assert.Equal([second.GetProperty("id").GetGuid(), id], list.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        await (await PostAsync(tenant, "gold", GoldFilter)).ReadProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task TheListOfSegmentsIsPagedWithACursor()
    {
        using var tenant = await api.CreateTenantAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await (await PostAsync(tenant, $"s{i}", GoldFilter)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        var first = await (await tenant.Http.GetAsync("/segments?limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var next = await (await tenant.Http.GetAsync($"/segments?limit=2&cursor={first.GetProperty("next_cursor").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([ids[2], ids[1]], first.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal([ids[0]], next.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, next.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("""{"all": [{"field": "first_name", "op": "eq", "value": "a"}, {"field": "first_name", "op": "like", "value": "a"}]}""", "filter.all[1].op")]
    [InlineData("""{"any": [{"field": "custom_fields.visits", "op": "gt", "value": "many"}]}""", "filter.any[0].value")]
    [InlineData("""{"field": "shoe_size", "op": "eq", "value": "9"}""", "filter.field")]
    [InlineData("""{"field": "created_at", "op": "eq", "value": "2025-01-01"}""", "filter.op")]
    [InlineData("""{"field": "created_at", "op": "gt", "value": "2025-02-30"}""", "filter.value")]
    [InlineData("""{"field": "created_at", "op": "gt", "value": 20250101}""", "filter.value")]
    [InlineData("""{"field": "first_name", "op": "in", "value": "ada"}""", "filter.value")]
    [InlineData("""{"field": "first_name", "op": "eq", "value": 7}""", "filter.value")]
    [InlineData("""{"field": "first_name", "op": "eq"}""", "filter.value")]
    [InlineData("""{"field": "first_name", "op": "exists", "value": "yes"}""", "filter.value")]
    [InlineData("""{"field": "custom_fields.plan", "op": "eq", "value": {"nested": 1}}""", "filter.value")]
    [InlineData("""{"field": "custom_fields.last_order", "op": "older_than_days", "value": -1}""", "filter.value")]
    [InlineData("""{"field": "custom_fields.last_order", "op": "newer_than_days", "value": 1.5}""", "filter.value")]
    [InlineData("""{"field": "phone", "op": "prefix", "value": "1415"}""", "filter.value")]
    [InlineData("""{"all": [{"field": "first_name", "op": "exists"}, {"any": []}]}""", "filter.all[1].any")]
    [InlineData("""{"all": []}""", "filter.all")]
    [InlineData("""{"not": []}""", "filter.not")]
    [InlineData("""{"all": [{"field": "first_name", "op": "exists", "extra": 1}]}""", "filter.all[0]")]
    [InlineData("""{"all": [{"field": "first_name", "op": "exists"}], "any": [{"field": "first_name", "op": "exists"}]}""", "filter")]
    [InlineData("""{"all": [{"any": [{"not": {"all": [{"any": [{"field": "first_name", "op": "exists"}]}]}}]}]}""", "filter.all[0].any[0].not.all[0]")]
    [InlineData("\"first_name = 'ada'\"", "filter")]
    [InlineData("null", "filter")]
    public async Task ABadFilterIs400NamingThePathInTheTree(string filter, string path)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await PostAsync(tenant, "bad", filter)).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([path], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM segments WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task FourLevelsAndTwentyConditionsAreAllowedButNoMore()
    {
        using var tenant = await api.CreateTenantAsync();
        var condition = """{"field": "first_name", "op": "exists"}""";

        await (await PostAsync(tenant, "deep", """{"all": [{"any": [{"not": {"all": [{"field": "first_name", "op": "exists"}]}}]}]}"""))
            .ReadJsonAsync(HttpStatusCode.Created);
        await (await PostAsync(tenant, "twenty", $$"""{"any": [{{string.Join(", ", Enumerable.Repeat(condition, 20))}}]}""")).ReadJsonAsync(HttpStatusCode.Created);
        var tooMany = await (await PostAsync(tenant, "many", $$"""{"any": [{"all": [{{string.Join(", ", Enumerable.Repeat(condition, 15))}}]}, {"all": [{{string.Join(", ", Enumerable.Repeat(condition, 6))}}]}]}"""))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        var error = Assert.Single(tooMany.GetProperty("errors").EnumerateObject());
        Assert.Equal("filter", error.Name);
        Assert.Contains("20 conditions", error.Value[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("custom_fields.a'b")]
    [InlineData("custom_fields.a\"); DROP TABLE leads;--")]
    [InlineData("custom_fields.")]
    [InlineData("custom_fields.1st")]
    [InlineData("custom_fields.a.b")]
    public async Task ACustomFieldKeyATemplateCouldNotReadIs400(string field)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsJsonAsync("/segments", new { name = "keys", filter = new { field, op = "eq", value = "x" } }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(["filter.field"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task SqlInAValueIsOnlyAValue()
    {
        using var tenant = await api.CreateTenantAsync();
        const string hostile = "Robert'); DROP TABLE leads;--";
        var robert = (await tenant.CreateLeadAsync(new { phone = "+14155550161", first_name = hostile, custom_fields = new { note = hostile } })).GetProperty("id").GetGuid();
        await tenant.CreateLeadAsync("+14155550162", "Alice");

        var byName = await CreateAsync(tenant, new { field = "first_name", op = "eq", value = hostile });
        var byCustom = await CreateAsync(tenant, new { any = new object[] { new { field = "custom_fields.note", op = "contains", value = "'); DROP" }, new { field = "custom_fields.note", op = "in", value = new[] { "\"}'::jsonb; --", hostile } } } });

        foreach (var segment in new[] { byName, byCustom })
        {
            var members = await (await tenant.Http.GetAsync($"/segments/{segment}/leads")).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal([robert], members.GetProperty("data").EnumerateArray().Select(l => l.GetProperty("id").GetGuid()));
        }

        Assert.Equal(2L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task PatchChangesTheNameOrTheFilterAndABadFilterChangesNothing()
    {
        using var tenant = await api.CreateTenantAsync();
        await tenant.CreateLeadAsync(new { phone = "+14155550171", first_name = "gold", custom_fields = new { plan = "gold" } });
        await tenant.CreateLeadAsync(new { phone = "+14155550172", first_name = "silver", custom_fields = new { plan = "silver" } });
        var id = await CreateAsync(tenant, new { field = "custom_fields.plan", op = "eq", value = "gold" });

        var renamed = await (await tenant.Http.PatchAsJsonAsync($"/segments/{id}", new { name = "renamed" })).ReadJsonAsync(HttpStatusCode.OK);
        var refiltered = await (await tenant.Http.PatchAsJsonAsync($"/segments/{id}", new { filter = new { field = "custom_fields.plan", op = "in", value = GoldOrSilver } }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var bad = await (await tenant.Http.PatchAsJsonAsync($"/segments/{id}", new { name = "bad", filter = new { all = new[] { new { field = "custom_fields.plan", op = "between", value = "x" } } } }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        var count = await (await tenant.Http.GetAsync($"/segments/{id}/count")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("renamed", renamed.GetProperty("name").GetString());
        Assert.Equal("renamed", refiltered.GetProperty("name").GetString());
        Assert.Equal(["filter.all[0].op"], bad.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(2, count.GetProperty("count").GetInt64());
        Assert.Equal("renamed", await api.Database.ScalarAsync<string>("SELECT name FROM segments WHERE id = $1", id));
    }

    [Fact]
    public async Task DeleteRemovesTheSegmentAndNotItsLeads()
    {
        using var tenant = await api.CreateTenantAsync();
        await tenant.CreateLeadAsync("+14155550181");
        var id = await CreateAsync(tenant, new { field = "phone", op = "exists" });

        var deleted = await tenant.Http.DeleteAsync($"/segments/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await tenant.Http.GetAsync($"/segments/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await tenant.Http.DeleteAsync($"/segments/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AnotherTenantsSegmentIsNotFoundAndItsLeadsNeverShow()
    {
        using var owner = await api.CreateTenantAsync();
        using var intruder = await api.CreateTenantAsync(name: "Intruder");
        await owner.CreateLeadAsync("+14155550191", "secret");
        var id = await CreateAsync(owner, new { field = "first_name", op = "eq", value = "secret" });

        await (await intruder.Http.GetAsync($"/segments/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.GetAsync($"/segments/{id}/count")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.GetAsync($"/segments/{id}/leads")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PatchAsJsonAsync($"/segments/{id}", new { name = "pwned" })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.DeleteAsync($"/segments/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        var list = await (await intruder.Http.GetAsync("/segments")).ReadJsonAsync(HttpStatusCode.OK);
        var preview = await (await intruder.Http.PostAsJsonAsync("/segments/preview", new { filter = new { field = "first_name", op = "eq", value = "secret" } }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Equal(0, preview.GetProperty("count").GetInt64());
        Assert.Equal(1, (await (await owner.Http.GetAsync($"/segments/{id}/count")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("count").GetInt64());
        Assert.NotEqual("pwned", await api.Database.ScalarAsync<string>("SELECT name FROM segments WHERE id = $1", id));
    }

    private static Task<HttpResponseMessage> PostAsync(Tenant tenant, string name, string filter) =>
        tenant.Http.PostAsync("/segments", HttpAssertions.Json($$"""{"name": "{{name}}", "filter": {{filter}}}"""));

    private static async Task<Guid> CreateAsync(Tenant tenant, object filter) =>
        (await (await tenant.Http.PostAsJsonAsync("/segments", new { name = $"s-{Guid.NewGuid():N}", filter })).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
}
