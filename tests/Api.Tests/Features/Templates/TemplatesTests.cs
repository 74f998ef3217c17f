using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Templates;

public sealed class TemplatesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task ATemplateListsItsVariablesAndItsEncoding()
    {
        using var tenant = await api.CreateTenantAsync();

        var created = await (await tenant.Http.PostAsJsonAsync("/templates", new { name = "welcome", body = "Hi {{ first_name | there }}, your code is {{code}}" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var fetched = await (await tenant.Http.GetAsync($"/templates/{created.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["first_name", "code"], fetched.GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("gsm7", fetched.GetProperty("encoding").GetString());
        Assert.Equal("welcome", fetched.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("Hi {{first_name", "never closed", 3)]
    [InlineData("Hi first_name}}", "without a matching", 13)]
    [InlineData("Hi {{}}", "needs a variable name", 3)]
    [InlineData("Hi {{ 1st }}", "not a valid variable name", 3)]
    [InlineData("Hi {{first name}}", "not a valid variable name", 3)]
    public async Task ABrokenPlaceholderIsRefusedAtSaveWithItsPosition(string body, string expected, int position)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsJsonAsync("/templates", new { name = "broken", body })).ReadProblemAsync(HttpStatusCode.BadRequest);

        var error = problem.GetProperty("errors").GetProperty("body")[0].GetString()!;
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains($"at position {position}", error, StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM templates WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ADuplicateNameIs409()
    {
        using var tenant = await api.CreateTenantAsync();
        await tenant.CreateTemplateAsync("One", name: "same");

        await (await tenant.Http.PostAsJsonAsync("/templates", new { name = "same", body = "Two" })).ReadProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task UpdatingChecksTheNewBody()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = await tenant.CreateTemplateAsync("Hello");

        await (await tenant.Http.PatchAsJsonAsync($"/templates/{id}", new { body = "Oops {{" })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var updated = await (await tenant.Http.PatchAsJsonAsync($"/templates/{id}", new { body = "Hello {{first_name}}" })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Hello {{first_name}}", updated.GetProperty("body").GetString());
    }

    [Fact]
    public async Task PreviewRendersALeadsFieldsCustomFieldsAndVariablesWithSegments()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = (await tenant.CreateLeadAsync(new { phone = "+14155550130", first_name = "Zoë", custom_fields = new { plan = "gold", visits = 3 } }))
            .GetProperty("id").GetGuid();
        var id = await tenant.CreateTemplateAsync("Hi {{first_name}}, {{plan}} member, visit #{{visits}}. {{offer|No offer}} {{code}}");

        var preview = await (await tenant.Http.PostAsJsonAsync($"/templates/{id}/preview", new { lead_id = lead, variables = new { code = "X1", plan = "platinum" } }))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal("Hi Zoë, platinum member, visit #3. No offer X1", preview.GetProperty("text").GetString());
        Assert.Equal("ucs2", preview.GetProperty("encoding").GetString());
        Assert.Equal(1, preview.GetProperty("segments").GetInt32());
    }

    [Fact]
    public async Task PreviewNamesTheVariablesThatHaveNoValue()
    {
        using var tenant = await api.CreateTenantAsync();
        var id = await tenant.CreateTemplateAsync("Hi {{first_name}}, use {{code}} by {{date|Friday}}");

        var problem = await (await tenant.Http.PostAsJsonAsync($"/templates/{id}/preview", new { })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal(["first_name", "code"], problem.GetProperty("missing_variables").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task AnUnsavedBodyCanBePreviewed()
    {
        using var tenant = await api.CreateTenantAsync();

        var preview = await (await tenant.Http.PostAsJsonAsync("/templates/preview", new { body = "Price: {{price}} € ^_^", variables = new { price = "10" } }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var broken = await (await tenant.Http.PostAsJsonAsync("/templates/preview", new { body = "{{oops" })).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Price: 10 € ^_^", preview.GetProperty("text").GetString());
        Assert.Equal("gsm7", preview.GetProperty("encoding").GetString());
        // € and each ^ cost two septets.
        Assert.Equal(18, preview.GetProperty("units").GetInt32());
        Assert.True(broken.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task ATemplateUsedByATriggerCannotBeDeleted()
    {
        using var tenant = await api.CreateTenantAsync();
        var used = await tenant.CreateTemplateAsync("Used");
        var unused = await tenant.CreateTemplateAsync("Unused");
        await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = "t", type = "new_lead", template_id = used })).ReadJsonAsync(HttpStatusCode.Created);

        await (await tenant.Http.DeleteAsync($"/templates/{used}")).ReadProblemAsync(HttpStatusCode.Conflict);
        var deleted = await tenant.Http.DeleteAsync($"/templates/{unused}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM templates WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AnotherTenantsTemplateIsNotFound()
    {
        using var owner = await api.CreateTenantAsync();
        using var intruder = await api.CreateTenantAsync();
        var id = await owner.CreateTemplateAsync("Secret {{code}}");

        await (await intruder.Http.GetAsync($"/templates/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PatchAsJsonAsync($"/templates/{id}", new { body = "Pwned" })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.PostAsJsonAsync($"/templates/{id}/preview", new { variables = new { code = "1" } })).ReadProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.Http.DeleteAsync($"/templates/{id}")).ReadProblemAsync(HttpStatusCode.NotFound);
        var list = await (await intruder.Http.GetAsync("/templates")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Equal("Secret {{code}}", await api.Database.ScalarAsync<string>("SELECT body FROM templates WHERE id = $1", id));
    }

    [Fact]
    public async Task PreviewWithAnotherTenantsLeadIsNotFound()
    {
        using var owner = await api.CreateTenantAsync();
        using var intruder = await api.CreateTenantAsync();
        var lead = await owner.CreateLeadAsync("+14155550131", firstName: "Private");
        var template = await intruder.CreateTemplateAsync("Hi {{first_name}}");

        await (await intruder.Http.PostAsJsonAsync($"/templates/{template}/preview", new { lead_id = lead })).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
