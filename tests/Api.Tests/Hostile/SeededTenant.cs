using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>A tenant with one row of each kind a tenant endpoint can address: lead, opted-out lead, template, trigger, message.</summary>
public sealed record SeededTenant(Tenant Tenant, Guid LeadId, Guid OptedOutLeadId, Guid TemplateId, Guid TriggerId, Guid MessageId) : IDisposable
{
    public Guid Id => Tenant.Id;

    public IReadOnlyList<Guid> RowIds => [Tenant.Id, LeadId, OptedOutLeadId, TemplateId, TriggerId, MessageId];

    public static async Task<SeededTenant> CreateAsync(ApiFixture api, string name, string phoneSuffix)
    {
        var tenant = await api.CreateTenantAsync(credits: 10, name: name);
        var lead = (await tenant.CreateLeadAsync(new { phone = $"+1415555{phoneSuffix}", first_name = $"{name}-lead", custom_fields = new { secret = $"{name}-custom" } }))
            .GetProperty("id").GetGuid();
        var optedOut = await tenant.CreateLeadAsync($"+1415556{phoneSuffix}", $"{name}-optedout");
        await (await tenant.Http.PostAsJsonAsync("/suppressions", new { lead_id = optedOut, note = "seed" })).ReadJsonAsync(HttpStatusCode.OK);
        var template = await tenant.CreateTemplateAsync($"Hi {{{{first_name}}}} from {name}", $"{name}-template");
        var trigger = (await (await tenant.Http.PostAsJsonAsync("/triggers", new { name = $"{name}-trigger", type = "webhook", template_id = template }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var message = (await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = $"{name}-message-body" }))
            .ReadJsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        return new SeededTenant(tenant, lead, optedOut, template, trigger, message);
    }

    public void Dispose() => Tenant.Dispose();
}
