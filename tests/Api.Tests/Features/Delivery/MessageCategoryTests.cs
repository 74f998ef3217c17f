using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Delivery;

/// <summary>Message categories: quiet hours and the frequency cap bind marketing only, for the categories the operator allows.</summary>
public sealed class MessageCategoryTests(ClockedApiFixture api) : IClassFixture<ClockedApiFixture>
{
    // 2026-03-10 is after the US switch to daylight time (March 8): New York is UTC-4.
    private static readonly DateTimeOffset NightInNewYork = new(2026, 3, 10, 3, 0, 0, TimeSpan.Zero);     // 23:00 local
    private static readonly DateTimeOffset MorningInNewYork = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);  // 11:00 local

    [Fact]
    public async Task ATransactionalManualSendOutsideTheWindowGoesWhenTheClientMayUseTransactional()
    {
        api.Clock.Now = NightInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true);
        await AllowAsync(tenant, "marketing", "transactional");
        var lead = await tenant.CreateLeadAsync("+12125550201");

        var sent = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Your code is 123456", category = "transactional" }))
            .ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("queued", sent.GetProperty("status").GetString());
        Assert.Equal("transactional", sent.GetProperty("category").GetString());
        Assert.Equal("transactional", await api.Database.ScalarAsync<string>("SELECT category FROM messages WHERE id = $1", sent.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task ATransactionalManualSendIsRefusedNamingTheRuleWhenTheClientMayNotUseTransactional()
    {
        api.Clock.Now = NightInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true);
        var lead = await tenant.CreateLeadAsync("+12125550202");

        var refused = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Your code is 123456", category = "transactional" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("urn:smsremarketing:problem:category-not-allowed", refused.GetProperty("type").GetString());
        Assert.Equal("category_not_allowed", refused.GetProperty("reason").GetString());
        Assert.True(refused.GetProperty("errors").TryGetProperty("category", out _));
        Assert.Contains("transactional", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task ARequestStillSendingIgnoreQuietHoursIsRefusedAsReplacedByCategory()
    {
        api.Clock.Now = NightInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true);
        var lead = await tenant.CreateLeadAsync("+12125550203");

        var refused = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", ignore_quiet_hours = true }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        var error = Assert.Single(refused.GetProperty("errors").GetProperty("ignore_quiet_hours").EnumerateArray()).GetString();
        Assert.Contains("Replaced by \"category\"", error, StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task AnUnknownCategoryIsRefusedNamingTheField()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+12125550204");

        var refused = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Hi", category = "urgent" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains("transactional", refused.GetProperty("errors").GetProperty("category")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TransactionalAutomatedSendsAreNotFrequencyCappedWhileMarketingOnesAre()
    {
        api.Clock.Now = MorningInNewYork;
        using var tenant = await api.CreateTenantAsync(deliveryPolicy: true); // the default cap: 1 automated SMS per 24 h, action defer
        await AllowAsync(tenant, "marketing", "transactional");
        var lead = await tenant.CreateLeadAsync("+12125550205");
        var reminder = await CreateWebhookAsync(tenant, "Your appointment is tomorrow", "transactional");
        var receipt = await CreateWebhookAsync(tenant, "Your receipt", "transactional");
        var offer = await CreateWebhookAsync(tenant, "20% off", "marketing");

        var first = await FireAsync(tenant, reminder, lead);
        var second = await FireAsync(tenant, receipt, lead);
        var third = await FireAsync(tenant, offer, lead);

        Assert.Equal("queued", first.GetProperty("status").GetString());
        Assert.Equal("queued", second.GetProperty("status").GetString());
        Assert.Equal("transactional", second.GetProperty("category").GetString());
        // Transactional messages are not capped but count: the lead has had its automated SMS for the day.
        Assert.Equal("scheduled", third.GetProperty("status").GetString());
        Assert.Contains("frequency cap", third.GetProperty("error_message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOperatorSetsTheAllowedCategoriesAndTheTenantReadsThem()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();

        var updated = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { allowed_categories = (string[])["conversational", "marketing"] }))
            .ReadJsonAsync(HttpStatusCode.OK);
        var policy = await (await tenant.Http.GetAsync("/compliance/delivery-policy")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["marketing", "conversational"], updated.GetProperty("allowed_categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["marketing", "conversational"], policy.GetProperty("allowed_categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task BadAllowedCategoriesAreRefusedPerFieldAndNothingIsApplied()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();

        var unknown = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}",
            new { name = "Renamed", allowed_categories = (string[])["marketing", "urgent"] })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var empty = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}",
            new { name = "Renamed", allowed_categories = Array.Empty<string>() })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var withoutMarketing = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}",
            new { allowed_categories = (string[])["transactional"] })).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(unknown.GetProperty("errors").TryGetProperty("allowed_categories[1]", out _));
        Assert.True(empty.GetProperty("errors").TryGetProperty("allowed_categories", out _));
        Assert.True(withoutMarketing.GetProperty("errors").TryGetProperty("allowed_categories", out _));
        var client = await (await admin.GetAsync($"/clients/{tenant.Id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Acme", client.GetProperty("name").GetString());
        Assert.Equal(["marketing"], client.GetProperty("allowed_categories").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task ATemplateOrTriggerWithACategoryTheClientMayNotUseIsRefusedNamingTheField()
    {
        using var tenant = await api.CreateTenantAsync();
        var template = await tenant.CreateTemplateAsync("Hi {{first_name}}");

        var refusedTemplate = await (await tenant.Http.PostAsJsonAsync("/templates", new { name = "code", body = "Your code", category = "transactional" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var refusedTrigger = await (await tenant.Http.PostAsJsonAsync("/triggers",
            new { name = "hook", type = "webhook", template_id = template, category = "conversational" })).ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var refusedEdit = await (await tenant.Http.PatchAsJsonAsync($"/templates/{template}", new { body = "Changed", category = "transactional" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.True(refusedTemplate.GetProperty("errors").TryGetProperty("category", out _));
        Assert.True(refusedTrigger.GetProperty("errors").TryGetProperty("category", out _));
        Assert.True(refusedEdit.GetProperty("errors").TryGetProperty("category", out _));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM triggers WHERE client_id = $1", tenant.Id));
        Assert.Equal("Hi {{first_name}}", await api.Database.ScalarAsync<string>("SELECT body FROM templates WHERE id = $1", template));
    }

    [Fact]
    public async Task ATriggerTakesItsTemplatesCategoryUnlessGivenOne()
    {
        using var tenant = await api.CreateTenantAsync();
        await AllowAsync(tenant, "marketing", "transactional");
        var template = await (await tenant.Http.PostAsJsonAsync("/templates", new { name = "code", body = "Your code", category = "transactional" }))
            .ReadJsonAsync(HttpStatusCode.Created);

        var inherited = await (await tenant.Http.PostAsJsonAsync("/triggers",
            new { name = "a", type = "webhook", template_id = template.GetProperty("id").GetGuid() })).ReadJsonAsync(HttpStatusCode.Created);
        var own = await (await tenant.Http.PostAsJsonAsync("/triggers",
            new { name = "b", type = "webhook", template_id = template.GetProperty("id").GetGuid(), category = "marketing" })).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("transactional", template.GetProperty("category").GetString());
        Assert.Equal("transactional", inherited.GetProperty("category").GetString());
        Assert.Equal("marketing", own.GetProperty("category").GetString());
    }

    private async Task AllowAsync(Tenant tenant, params string[] categories)
    {
        using var admin = api.Admin();
        (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { allowed_categories = categories })).EnsureSuccessStatusCode();
    }

    private static async Task<Guid> CreateWebhookAsync(Tenant tenant, string body, string category)
    {
        var template = await tenant.CreateTemplateAsync(body);
        var created = await tenant.Http.PostAsJsonAsync("/triggers", new { name = $"hook-{Guid.NewGuid():N}", type = "webhook", template_id = template, category });
        return (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static async Task<System.Text.Json.JsonElement> FireAsync(Tenant tenant, Guid trigger, Guid lead) =>
        await (await tenant.Http.PostAsJsonAsync($"/triggers/{trigger}/fire", new { lead_id = lead })).ReadJsonAsync(HttpStatusCode.Accepted);
}
