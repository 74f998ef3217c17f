using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Triggers;

public sealed class TriggersTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("new_lead", null)]
    [InlineData("lead_age", 3)]
    [InlineData("webhook", null)]
    public async Task EachTypeOfTriggerCanBeCreatedAndRead(string type, int? days)
    {
        using var tenant = await api.CreateTenantAsync();
        var template = await tenant.CreateTemplateAsync("Hi {{first_name|there}}");

        var created = await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "t", type, template_id = template, days })).ReadJsonAsync(HttpStatusCode.Created);
        var fetched = await (await tenant.Http.GetAsync($"/triggers/{created.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(type, fetched.GetProperty("type").GetString());
        Assert.True(fetched.GetProperty("is_active").GetBoolean());
        Assert.Equal(template, fetched.GetProperty("template_id").GetGuid());
    }

    [Theory]
    [InlineData("{\"name\": \"t\", \"type\": \"lead_age\"}", "days")]
    [InlineData("{\"name\": \"t\", \"type\": \"lead_age\", \"days\": 0}", "days")]
    [InlineData("{\"name\": \"t\", \"type\": \"webhook\", \"days\": 2}", "days")]
    [InlineData("{\"name\": \"t\"}", "type")]
    [InlineData("{\"type\": \"webhook\"}", "name")]
    public async Task AnInvalidTriggerIsAValidationProblem(string json, string field)
    {
        using var tenant = await api.CreateTenantAsync();
        var template = await tenant.CreateTemplateAsync("Hi");
        var withTemplate = json.Replace("{", $"{{\"template_id\": \"{template}\", ", StringComparison.Ordinal);

        var problem = await (await tenant.Http.PostAsync("/triggers", HttpAssertions.Json(withTemplate))).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task AnUnknownTriggerTypeIsABadRequest()
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsync("/triggers", HttpAssertions.Json("{\"name\": \"t\", \"type\": \"hourly\"}")))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("$.type", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATriggerCannotBeBoundToAnotherTenantsTemplate()
    {
        using var owner = await api.CreateTenantAsync();
        using var intruder = await api.CreateTenantAsync();
        var template = await owner.CreateTemplateAsync("Owner's");

        await (await intruder.Http.PostAsJsonAsync("/triggers", new { name = "t", type = "new_lead", template_id = template })).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM triggers WHERE client_id = $1", intruder.Id));
    }

    [Fact]
    public async Task UpdatingAndDeletingATrigger()
    {
        using var tenant = await api.CreateTenantAsync();
        var template = await tenant.CreateTemplateAsync("Hi");
        var id = (await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "t", type = "lead_age", template_id = template, days = 1 }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var updated = await (await tenant.Http.PatchAsJsonAsync($"/triggers/{id}", new { days = 7, is_active = false })).ReadJsonAsync(HttpStatusCode.OK);
        await (await tenant.Http.PatchAsJsonAsync($"/triggers/{id}", new { days = 0 })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var inactive = await (await tenant.Http.GetAsync("/triggers?is_active=false&type=lead_age")).ReadJsonAsync(HttpStatusCode.OK);
        var deleted = await tenant.Http.DeleteAsync($"/triggers/{id}");

        Assert.Equal(7, updated.GetProperty("days").GetInt32());
        Assert.False(updated.GetProperty("is_active").GetBoolean());
        Assert.Equal(id, Assert.Single(inactive.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await tenant.Http.GetAsync($"/triggers/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherTenantsTriggerIsNotFound()
    {
        using var owner = await api.CreateTenantAsync();
        using var intruder = await api.CreateTenantAsync();
        var template = await owner.CreateTemplateAsync("Hi");
        var id = (await (await owner.Http.PostAsJsonAsync("/triggers", new { name = "t", type = "webhook", template_id = template }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await (await intruder.Http.GetAsync($"/triggers/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PatchAsJsonAsync($"/triggers/{id}", new { is_active = false })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PostAsJsonAsync($"/triggers/{id}/fire", new { phone = "+14155550170", create_lead = true })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.DeleteAsync($"/triggers/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);

        Assert.True(await api.Database.ScalarAsync<bool>("SELECT is_active FROM triggers WHERE id = $1", id));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", intruder.Id));
    }
}
