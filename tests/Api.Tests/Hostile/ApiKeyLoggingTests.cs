using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Hostile;

/// <summary>The Api with every log category at its most verbose, so that nothing a key could hide in is filtered out.</summary>
public sealed class VerboseLoggingFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:MassTransit"] = "Debug",
    };
}

public sealed class ApiKeyLoggingTests(VerboseLoggingFixture api) : IClassFixture<VerboseLoggingFixture>
{
    [Fact]
    public async Task NoKeyEverReachesTheLogsWhetherCreatedUsedRotatedOrWrong()
    {
        using var admin = api.Admin();
        var created = await (await admin.PostAsJsonAsync("/clients", new { name = "Logged", email = "ops@logged.test" })).ReadJsonAsync(HttpStatusCode.Created);
        var clientId = created.GetProperty("id").GetGuid();
        var first = created.GetProperty("api_key").GetString()!;
        using (var tenant = api.WithApiKey(first))
        {
            await (await tenant.PostAsJsonAsync("/leads", new { phone = "+14155550177" })).ReadJsonAsync(HttpStatusCode.Created);
            await (await tenant.GetAsync("/leads")).ReadJsonAsync(HttpStatusCode.OK);
        }

        var second = (await (await admin.PostAsync($"/clients/{clientId}/rotate-key", null)).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("api_key").GetString()!;
        var forged = second[..12] + new string('Z', second.Length - 12);
        var unknown = "sk_" + new string('Q', 43);
        const string wrongAdminKey = "not-the-admin-key-0123456789";
        foreach (var (key, expected) in new[] { (first, HttpStatusCode.Unauthorized), (second, HttpStatusCode.OK), (forged, HttpStatusCode.Unauthorized), (unknown, HttpStatusCode.Unauthorized) })
        {
            using var tenant = api.WithApiKey(key);
            Assert.Equal(expected, (await tenant.GetAsync("/credits")).StatusCode);
        }

        using (var wrongAdmin = api.Anonymous())
        {
            wrongAdmin.DefaultRequestHeaders.Add("X-Admin-Key", wrongAdminKey);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrongAdmin.GetAsync("/clients")).StatusCode);
        }

        await (await admin.PatchAsJsonAsync($"/clients/{clientId}", new { is_active = false })).ReadJsonAsync(HttpStatusCode.OK);
        using (var deactivated = api.WithApiKey(second))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await deactivated.GetAsync("/credits")).StatusCode);
        }

        var lines = api.Logs.Lines.ToList();
        Assert.Contains(lines, line => line.Contains("was not authenticated", StringComparison.Ordinal));
        foreach (var secret in new[] { first, second, forged, unknown, first[12..], second[12..], forged[12..], ApiFixture.AdminKey, wrongAdminKey })
        {
            var leaked = lines.FirstOrDefault(line => line.Contains(secret, StringComparison.Ordinal));
            Assert.True(leaked is null, $"a key was logged ({lines.Count} lines): {leaked}");
        }
    }
}
