using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Clients;

public sealed class DeliverySettingsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task ANewClientHasQuietHoursFromEightToNineAndTheDefaultAutomatedCap()
    {
        using var admin = api.Admin();

        var created = await (await admin.PostAsJsonAsync("/clients", new { name = "Acme", email = "ops@acme.test" })).ReadJsonAsync(HttpStatusCode.Created);
        var fetched = await (await admin.GetAsync($"/clients/{created.GetProperty("id").GetGuid()}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.True(fetched.GetProperty("quiet_hours_enabled").GetBoolean());
        Assert.Equal("08:00:00", fetched.GetProperty("sending_window_start").GetString());
        Assert.Equal("21:00:00", fetched.GetProperty("sending_window_end").GetString());
        var caps = fetched.GetProperty("frequency_caps").EnumerateArray()
            .Select(c => (c.GetProperty("max_messages").GetInt32(), c.GetProperty("window_hours").GetInt32())).ToList();
        Assert.Equal([(1, 24), (3, 168)], caps);
        Assert.Equal("defer", fetched.GetProperty("frequency_cap_action").GetString());
        Assert.Equal(10, fetched.GetProperty("max_segments").GetInt32());
        Assert.False(fetched.GetProperty("pay_per_segment").GetBoolean());
    }

    [Fact]
    public async Task TheAdminChangesTheDeliveryPolicyAndAWindowAcrossMidnightIsAllowed()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();

        var updated = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new
        {
            quiet_hours_enabled = true, sending_window_start = "22:00", sending_window_end = "06:30",
            frequency_caps = new[] { new { max_messages = 2, window_hours = 12 } }, frequency_cap_action = "skip", max_segments = 3, pay_per_segment = true,
        })).ReadJsonAsync(HttpStatusCode.OK);
        var fetched = await (await admin.GetAsync($"/clients/{tenant.Id}")).ReadJsonAsync(HttpStatusCode.OK);

        foreach (var client in new[] { updated, fetched })
        {
            Assert.Equal("22:00:00", client.GetProperty("sending_window_start").GetString());
            Assert.Equal("06:30:00", client.GetProperty("sending_window_end").GetString());
            var cap = Assert.Single(client.GetProperty("frequency_caps").EnumerateArray());
            Assert.Equal(2, cap.GetProperty("max_messages").GetInt32());
            Assert.Equal(12, cap.GetProperty("window_hours").GetInt32());
            Assert.Equal("skip", client.GetProperty("frequency_cap_action").GetString());
            Assert.Equal(3, client.GetProperty("max_segments").GetInt32());
            Assert.True(client.GetProperty("pay_per_segment").GetBoolean());
        }

        var seenByTenant = await (await tenant.Http.GetAsync("/compliance/delivery-policy")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("22:00:00", seenByTenant.GetProperty("sending_window_start").GetString());
        Assert.Equal("skip", seenByTenant.GetProperty("frequency_cap_action").GetString());
        Assert.Equal("America/New_York", seenByTenant.GetProperty("timezone").GetString());
    }

    [Fact]
    public async Task ATenantCannotChangeItsDeliveryPolicyWithItsOwnKey()
    {
        using var tenant = await api.CreateTenantAsync();

        var response = await tenant.Http.PatchAsJsonAsync($"/clients/{tenant.Id}", new { quiet_hours_enabled = false });

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task InvalidDeliverySettingsAreRefusedFieldByField()
    {
        using var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();

        var problem = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new
        {
            sending_window_start = "09:00", sending_window_end = "09:00",
            frequency_caps = new[] { new { max_messages = 1, window_hours = 0 } }, frequency_cap_action = "drop", max_segments = 11,
        })).ReadProblemAsync(HttpStatusCode.BadRequest);
        var badTime = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { sending_window_end = "25:00" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);
        // Only the end given, equal to the stored start (08:00): still an empty window.
        var emptyAgainstStored = await (await admin.PatchAsJsonAsync($"/clients/{tenant.Id}", new { sending_window_end = "08:00" }))
            .ReadProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("sending_window_start", out _));
        Assert.True(errors.TryGetProperty("frequency_caps[0]", out _));
        Assert.True(errors.TryGetProperty("frequency_cap_action", out _));
        Assert.True(errors.TryGetProperty("max_segments", out _));
        Assert.True(badTime.GetProperty("errors").TryGetProperty("sending_window_end", out _));
        Assert.True(emptyAgainstStored.GetProperty("errors").TryGetProperty("sending_window_end", out _));
        Assert.Equal(10, await api.Database.ScalarAsync<int>("SELECT max_segments FROM clients WHERE id = $1", tenant.Id));
    }
}
