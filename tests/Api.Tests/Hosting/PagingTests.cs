using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Hosting;

/// <summary>The keyset paging every list shares: its limits, and pages that neither repeat nor skip a row.</summary>
public sealed class PagingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("/leads", "0")]
    [InlineData("/messages", "201")]
    [InlineData("/templates", "0")]
    [InlineData("/triggers", "201")]
    [InlineData("/suppressions", "-1")]
    [InlineData("/credits", "201")]
    public async Task ALimitOutsideOneTo200IsABadRequestNamingTheField(string path, string limit)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.GetAsync($"{path}?limit={limit}")).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), problem.ToString());
    }

    [Fact]
    public async Task TemplatesAndTriggersPageNewestFirstWithoutRepeatingOrSkipping()
    {
        using var tenant = await api.CreateTenantAsync();
        var templates = new List<Guid>();
        var triggers = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var template = await tenant.CreateTemplateAsync($"Hello {i}", $"t{i}");
            templates.Add(template);
            var created = await tenant.Http.PostAsJsonAsync("/triggers", new { name = $"hook {i}", type = "webhook", template_id = template });
            triggers.Add((await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        Assert.Equal(Enumerable.Reverse(templates), await WalkAsync(tenant, "/templates"));
        Assert.Equal(Enumerable.Reverse(triggers), await WalkAsync(tenant, "/triggers"));
    }

    private static async Task<List<Guid>> WalkAsync(Tenant tenant, string path)
    {
        var ids = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await tenant.Http.GetAsync($"{path}?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadJsonAsync(HttpStatusCode.OK);
            ids.AddRange(page.GetProperty("data").EnumerateArray().Select(row => row.GetProperty("id").GetGuid()));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        return ids;
    }
}
