using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Idempotency;

/// <summary>The Idempotency-Key filter as every endpoint that takes the header sees it, the trigger fire as much as the send.</summary>
public sealed class IdempotencyFilterTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("has space")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef!")]
    [InlineData("caf\u00e9")]
    public async Task AnInvalidKeyIsABadRequestNamingTheHeaderOnEveryEndpointThatTakesIt(string key)
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550170");
        var trigger = await CreateWebhookAsync(tenant);

        foreach (var (path, body) in new (string, object)[] { ("/messages/send", new { lead_id = lead, body = "Hi" }), ($"/triggers/{trigger}/fire", new { lead_id = lead }) })
        {
            var problem = await (await SendAsync(tenant, path, key, body)).ReadProblemAsync(HttpStatusCode.BadRequest);

            Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.ToString());
        }

        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task AReplayedFireAnswersTheFirstMessageWithItsLocation()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550171");
        var trigger = await CreateWebhookAsync(tenant);

        var first = await SendAsync(tenant, $"/triggers/{trigger}/fire", "fire-1", new { lead_id = lead });
        var replay = await SendAsync(tenant, $"/triggers/{trigger}/fire", "fire-1", new { lead_id = lead });

        var id = (await first.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        Assert.Equal(id, (await replay.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        Assert.Equal($"/messages/{id}", replay.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherFireIs422()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550172");
        var other = await tenant.CreateLeadAsync("+14155550173");
        var trigger = await CreateWebhookAsync(tenant);
        await (await SendAsync(tenant, $"/triggers/{trigger}/fire", "fire-2", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.Accepted);

        var problem = await (await SendAsync(tenant, $"/triggers/{trigger}/fire", "fire-2", new { lead_id = other })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Contains("different request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ARetryWithItsVariablesInAnotherOrderIsAReplayAndOneWithAnotherValueIs422()
    {
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550175");
        var template = await tenant.CreateTemplateAsync("{{greeting}} {{name}}");

        var first = await SendJsonAsync(tenant, "send-vars", $$"""{"lead_id": "{{lead}}", "template_id": "{{template}}", "variables": {"greeting": "Hi", "name": "Ada"} }""");
        var reordered = await SendJsonAsync(tenant, "send-vars", $$"""{"variables": {"name": "Ada", "greeting": "Hi"}, "template_id": "{{template}}", "lead_id": "{{lead}}"}""");
        var changed = await SendJsonAsync(tenant, "send-vars", $$"""{"lead_id": "{{lead}}", "template_id": "{{template}}", "variables": {"name": "Bo", "greeting": "Hi"} }""");

        var id = (await first.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        Assert.Equal(id, (await reordered.ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        await changed.ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task ConcurrentFiresWithOneKeyCreateOneLeadAndQueueOneMessage()
    {
        using var tenant = await api.CreateTenantAsync();
        var trigger = await CreateWebhookAsync(tenant);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            SendAsync(tenant, $"/triggers/{trigger}/fire", "burst-fire", new { phone = "+14155550174", create_lead = true })));
        var answered = await Task.WhenAll(responses.Select(async r => (r.StatusCode, await r.Content.ReadAsStringAsync())));

        Assert.All(answered, a => Assert.True(a.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{a.StatusCode}: {a.Item2}"));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM leads WHERE client_id = $1", tenant.Id));
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_id = $1", tenant.Id));
    }

    [Fact]
    public async Task TheOpenApiDocumentShowsTheHeaderOnBothSends()
    {
        using var anonymous = api.Anonymous();

        var paths = (await (await anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("paths");

        foreach (var path in new[] { "/messages/send", "/triggers/{id}/fire" })
        {
            var parameters = paths.GetProperty(path).GetProperty("post").GetProperty("parameters").EnumerateArray();
            Assert.Contains(parameters, p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        }
    }

    private static async Task<Guid> CreateWebhookAsync(Tenant tenant)
    {
        var template = await tenant.CreateTemplateAsync("Ping");
        var created = await tenant.Http.PostAsJsonAsync("/triggers", new { name = "hook", type = "webhook", template_id = template });
        return (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static Task<HttpResponseMessage> SendJsonAsync(Tenant tenant, string key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/messages/send") { Content = HttpAssertions.Json(json) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return tenant.Http.SendAsync(request);
    }

    private static Task<HttpResponseMessage> SendAsync(Tenant tenant, string path, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return tenant.Http.SendAsync(request);
    }
}
