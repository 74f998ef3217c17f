using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>
/// The Api with room for the matrix's hundreds of refused keys from one address and heavy requests from one tenant;
/// the allowances themselves are <see cref="FailedAuthenticationTests"/>'s, <see cref="GlobalFailedAuthenticationTests"/>'s
/// and <see cref="Hosting.HeavyRequestLimitTests"/>'s.
/// </summary>
public sealed class AuthMatrixFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Api:FailedAuthenticationBurst"] = "100000",
        ["Api:GlobalFailedAuthenticationBurst"] = "100000",
        ["Api:HeavyRequestBurst"] = "100000",
    };
}

/// <summary>
/// Every tenant operation of the OpenAPI document (so a new endpoint is covered without touching this file) against
/// every way in that must fail: no key, a malformed or unknown key, a forged secret behind a real prefix, a rotated
/// key, a deactivated client's key, and another tenant's ids. Each is refused, and no answer carries another
/// tenant's data or any API key.
/// </summary>
public sealed class AuthMatrixTests(AuthMatrixFixture api) : IClassFixture<AuthMatrixFixture>
{
    /// <summary>Bodies valid enough to get past validation to the lookup of the id in the path; "{}" for the rest.</summary>
    private static readonly Dictionary<string, Func<SeededTenant, object>> BodiesFor = new(StringComparer.Ordinal)
    {
        ["POST /triggers/{id}/fire"] = own => new { lead_id = own.LeadId },
        ["POST /templates/{id}/preview"] = own => new { lead_id = own.LeadId },
        ["DELETE /suppressions/{leadId}"] = _ => new { consent_source = "web_form", consent_at = DateTimeOffset.UtcNow.AddDays(-1), consent_text = "Opted in again" },
    };

    [Fact]
    public async Task EveryTenantOperationRefusesAMissingMalformedUnknownOrForgedKey()
    {
        using var victim = await SeededTenant.CreateAsync(api, "victim", "1101");
        var forged = victim.Tenant.ApiKey[..12] + new string('A', victim.Tenant.ApiKey.Length - 12);
        var callers = new (string What, string? Key, string? AdminKey)[]
        {
            ("no key", null, null),
            ("malformed key", "not-a-key", null),
            ("unknown key", "sk_" + new string('B', 43), null),
            ("real prefix, forged secret", forged, null),
            ("the victim's key with a trailing space", victim.Tenant.ApiKey + " ", null),
            ("the admin key as X-API-Key", ApiFixture.AdminKey, null),
            ("the admin key as X-Admin-Key", null, ApiFixture.AdminKey),
        };
        var before = await TenantSnapshot.TakeAsync(api.Database, victim.Id);

        foreach (var operation in (await OpenApiOperations.FetchAsync(api)).All().Where(o => o.IsTenant))
        {
            foreach (var (what, key, adminKey) in callers)
            {
                using var http = api.Anonymous();
                if (key is not null)
                {
                    http.DefaultRequestHeaders.TryAddWithoutValidation("X-API-Key", key);
                }

                if (adminKey is not null)
                {
                    http.DefaultRequestHeaders.Add("X-Admin-Key", adminKey);
                }

                var response = await SendAsync(http, operation, victim, victim);
                await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, $"{operation} with {what}", victim);
            }
        }

        TenantSnapshot.AssertUnchanged(before, await TenantSnapshot.TakeAsync(api.Database, victim.Id), "unauthenticated calls");
    }

    [Fact]
    public async Task EveryTenantOperationRefusesADeactivatedClientAndARotatedKey()
    {
        using var deactivated = await SeededTenant.CreateAsync(api, "deactivated", "1201");
        using var rotated = await SeededTenant.CreateAsync(api, "rotated", "1202");
        using var admin = api.Admin();
        await (await admin.PatchAsJsonAsync($"/clients/{deactivated.Id}", new { is_active = false })).ReadJsonAsync(HttpStatusCode.OK);
        var newKey = (await (await admin.PostAsync($"/clients/{rotated.Id}/rotate-key", null)).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("api_key").GetString()!;
        var deactivatedBefore = await TenantSnapshot.TakeAsync(api.Database, deactivated.Id);
        var rotatedBefore = await TenantSnapshot.TakeAsync(api.Database, rotated.Id);

        foreach (var operation in (await OpenApiOperations.FetchAsync(api)).All().Where(o => o.IsTenant))
        {
            await AssertRefusedAsync(await SendAsync(deactivated.Tenant.Http, operation, deactivated, deactivated),
                HttpStatusCode.Forbidden, $"{operation} by a deactivated client", deactivated);
            await AssertRefusedAsync(await SendAsync(rotated.Tenant.Http, operation, rotated, rotated),
                HttpStatusCode.Unauthorized, $"{operation} with a rotated-out key", rotated, newKey);
        }

        TenantSnapshot.AssertUnchanged(deactivatedBefore, await TenantSnapshot.TakeAsync(api.Database, deactivated.Id), "deactivated client");
        TenantSnapshot.AssertUnchanged(rotatedBefore, await TenantSnapshot.TakeAsync(api.Database, rotated.Id), "rotated key");
    }

    [Fact]
    public async Task EveryIdOfAnotherTenantIsNotFoundAndTouchesNothing()
    {
        using var victim = await SeededTenant.CreateAsync(api, "victim", "1301");
        using var attacker = await SeededTenant.CreateAsync(api, "attacker", "1302");
        var before = await TenantSnapshot.TakeAsync(api.Database, victim.Id);
        var covered = 0;

        foreach (var operation in (await OpenApiOperations.FetchAsync(api)).All()
            .Where(o => o.IsTenant && o.PathParameters.Any() && o.PathParameters.All(p => p.Name != "phone")))
        {
            // Every victim id in every path slot: a lead id where a template id belongs must be as unknown as a random id.
            foreach (var victimId in victim.RowIds)
            {
                var response = await SendAsync(attacker.Tenant.Http, operation, attacker, victim, victimId);
                await AssertRefusedAsync(response, HttpStatusCode.NotFound, $"{operation} with the victim's id {victimId}", victim, attacker.Tenant.ApiKey);
                covered++;
            }
        }

        Assert.True(covered >= 15 * victim.RowIds.Count, $"only {covered} cases: fewer operations with ids than expected");
        TenantSnapshot.AssertUnchanged(before, await TenantSnapshot.TakeAsync(api.Database, victim.Id), "another tenant's ids in paths");
    }

    [Fact]
    public async Task AnotherTenantsIdsInBodiesAndFiltersFindNothing()
    {
        using var victim = await SeededTenant.CreateAsync(api, "victim", "1401");
        using var attacker = await SeededTenant.CreateAsync(api, "attacker", "1402");
        var http = attacker.Tenant.Http;
        var before = await TenantSnapshot.TakeAsync(api.Database, victim.Id);

        var attempts = new (string What, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("send to the victim's lead", () => http.PostAsJsonAsync("/messages/send", new { lead_id = victim.LeadId, body = "x" })),
            ("send with the victim's template", () => http.PostAsJsonAsync("/messages/send", new { lead_id = attacker.LeadId, template_id = victim.TemplateId })),
            ("opt out the victim's lead", () => http.PostAsJsonAsync("/suppressions", new { lead_id = victim.LeadId })),
            ("a trigger on the victim's template", () => http.PostAsJsonAsync("/triggers", new { name = "t", type = "webhook", template_id = victim.TemplateId })),
            ("point a trigger at the victim's template", () => http.PatchAsJsonAsync($"/triggers/{attacker.TriggerId}", new { template_id = victim.TemplateId })),
            ("preview with the victim's lead", () => http.PostAsJsonAsync($"/templates/{attacker.TemplateId}/preview", new { lead_id = victim.LeadId })),
            ("preview a body with the victim's lead", () => http.PostAsJsonAsync("/templates/preview", new { body = "{{first_name}}", lead_id = victim.LeadId })),
            ("fire at the victim's lead", () => http.PostAsJsonAsync($"/triggers/{attacker.TriggerId}/fire", new { lead_id = victim.LeadId })),
        };
        foreach (var (what, send) in attempts)
        {
            await AssertRefusedAsync(await send(), HttpStatusCode.NotFound, what, victim, attacker.Tenant.ApiKey);
        }

        var filtered = await (await http.GetAsync($"/messages?lead_id={victim.LeadId}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, filtered.GetProperty("data").GetArrayLength());
        var byPhone = await (await http.GetAsync("/leads?phone=%2B14155551401")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, byPhone.GetProperty("data").GetArrayLength());
        // Consent is per client: the victim's opted-out number is, to the attacker, a number with no history, and
        // nothing of the victim's the attacker can lift.
        var consent = await (await http.GetAsync("/consent/%2B14155561401")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(consent.GetProperty("opted_out").GetBoolean());
        Assert.Equal(0, consent.GetProperty("events").GetArrayLength());
        await AssertRefusedAsync(await attacker.Tenant.LiftOptOutAsync("/suppressions/by-phone/%2B14155561401"), HttpStatusCode.NotFound,
            "lift the victim's opt-out by phone", victim, attacker.Tenant.ApiKey);
        TenantSnapshot.AssertUnchanged(before, await TenantSnapshot.TakeAsync(api.Database, victim.Id), "another tenant's ids in bodies");
    }

    [Fact]
    public async Task AdminEndpointsRefuseTenantKeysAndNoKeyIsShownAfterCreation()
    {
        using var tenant = await SeededTenant.CreateAsync(api, "tenant", "1501");
        using var admin = api.Admin();

        foreach (var operation in (await OpenApiOperations.FetchAsync(api)).All().Where(o => o.IsAdmin))
        {
            await AssertRefusedAsync(await SendAsync(tenant.Tenant.Http, operation, tenant, tenant), HttpStatusCode.Unauthorized,
                $"{operation} with a tenant key", tenant);
            using var asAdminKey = api.Anonymous();
            asAdminKey.DefaultRequestHeaders.Add("X-Admin-Key", tenant.Tenant.ApiKey);
            await AssertRefusedAsync(await SendAsync(asAdminKey, operation, tenant, tenant), HttpStatusCode.Unauthorized,
                $"{operation} with a tenant key as X-Admin-Key", tenant);
        }

        foreach (var path in new[] { "/clients", $"/clients/{tenant.Id}" })
        {
            var text = await (await admin.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain(tenant.Tenant.ApiKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain("api_key\"", text, StringComparison.Ordinal);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, OpenApiOperation operation, SeededTenant own, SeededTenant target, Guid? id = null)
    {
        var path = operation.Path(_ => (id ?? target.LeadId).ToString());
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
        if (operation.JsonBody is not null)
        {
            var body = BodiesFor.TryGetValue(operation.ToString(), out var make) ? JsonSerializer.Serialize(make(own)) : "{}";
            request.Content = HttpAssertions.Json(body);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The refusal as problem details, with nothing of the victim's in it and no API key at all.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode expected, string what, SeededTenant victim, params string[] otherKeys)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: not problem details: {text}");
        foreach (var secret in otherKeys.Append(victim.Tenant.ApiKey).Append(ApiFixture.AdminKey))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("sk_", text, StringComparison.Ordinal);
        foreach (var data in new[] { "-lead", "-custom", "-template", "-trigger", "-message-body", "-optedout" })
        {
            Assert.DoesNotContain(data, text, StringComparison.Ordinal);
        }
    }
}
