using System.Net;
using System.Net.Http.Json;

namespace SmsRemarketing.Api.Tests.Features.Campaigns;

/// <summary>Campaigns through the Api: drafts and their checks, the estimate against what the schedule reserves, tenancy.</summary>
public sealed class CampaignsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Theory]
    [InlineData("""{"lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi"}""", "name")]
    [InlineData("""{"name": "x", "body": "Hi"}""", "segment_id")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"]}""", "template_id")]
    [InlineData("""{"name": "x", "lead_ids": [], "body": "Hi"}""", "lead_ids")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi", "send_at": "tomorrow"}""", "send_at")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi", "send_at": "2026-12-24T09:00:00"}""", "send_at")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi", "send_at": {"local_time": "25:00", "send_date": "2026-12-24"}}""", "send_at.local_time")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi", "send_at": {"local_time": "10:00", "send_date": "2026-12-24", "if_passed": "later"}}""", "send_at.if_passed")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi", "throttle_per_minute": 0}""", "throttle_per_minute")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi", "category": "urgent"}""", "category")]
    [InlineData("""{"name": "x", "lead_ids": ["00000000-0000-0000-0000-000000000001"], "body": "Hi {{first_name}"}""", "body")]
    public async Task ABadDraftIsRefusedNamingTheField(string body, string field)
    {
        using var tenant = await api.CreateTenantAsync();

        var problem = await (await tenant.Http.PostAsync("/campaigns", HttpAssertions.Json(body))).ReadProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task ADraftNamingAnotherTenantsLeadsOrSegmentOrASendAtInThePastIsUnprocessable()
    {
        using var tenant = await api.CreateTenantAsync();
        using var other = await api.CreateTenantAsync();
        var theirs = await other.CreateLeadAsync("+14155550901");
        var theirSegment = (await (await other.Http.PostAsJsonAsync("/segments", new { name = "all", filter = new { field = "phone", op = "prefix", value = "+1" } }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var mine = await tenant.CreateLeadAsync("+14155550902");

        var leads = await (await tenant.Http.PostAsJsonAsync("/campaigns", new { name = "x", lead_ids = new[] { theirs }, body = "Hi" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var segment = await (await tenant.Http.PostAsJsonAsync("/campaigns", new { name = "x", segment_id = theirSegment, body = "Hi" }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var past = await (await tenant.Http.PostAsJsonAsync("/campaigns", new { name = "x", lead_ids = new[] { mine }, body = "Hi", send_at = DateTimeOffset.UtcNow.AddHours(-1) }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);
        var tooFar = await (await tenant.Http.PostAsJsonAsync("/campaigns", new { name = "x", lead_ids = new[] { mine }, body = "Hi", send_at = DateTimeOffset.UtcNow.AddDays(36) }))
            .ReadProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.True(leads.GetProperty("errors").TryGetProperty("lead_ids", out _));
        Assert.True(segment.GetProperty("errors").TryGetProperty("segment_id", out _));
        Assert.True(past.GetProperty("errors").TryGetProperty("send_at", out _));
        Assert.True(tooFar.GetProperty("errors").TryGetProperty("send_at", out _));
    }

    [Fact]
    public async Task TheEstimateCountsEveryExclusionAndIsWhatTheScheduleReserves()
    {
        using var tenant = await api.CreateTenantAsync(credits: 50);
        await api.Database.ExecuteAsync("UPDATE clients SET pay_per_segment = true WHERE id = $1", tenant.Id);
        var short1 = await tenant.CreateLeadAsync(new { phone = "+14155550911", first_name = "Ada", custom_fields = new { code = "A1" } });
        var long1 = await tenant.CreateLeadAsync(new { phone = "+14155550912", first_name = "Ada", custom_fields = new { code = new string('x', 150) } });
        var unicode = await tenant.CreateLeadAsync(new { phone = "+14155550913", first_name = "Zoë", custom_fields = new { code = "B2" } });
        var noCode = await tenant.CreateLeadAsync(new { phone = "+14155550914", first_name = "Ada" });
        var abroad = await tenant.CreateLeadAsync(new { phone = "+447911123456", first_name = "Ada", custom_fields = new { code = "C3" } });
        var stopped = await tenant.CreateLeadAsync(new { phone = "+14155550915", first_name = "Ada", custom_fields = new { code = "D4" } });
        await api.Database.OptOutLeadAsync(stopped.GetProperty("id").GetGuid());
        var template = await tenant.CreateTemplateAsync("Hi {{first_name}}, your code is {{code}}");
        var ids = new[] { short1, long1, unicode, noCode, abroad, stopped }.Select(l => l.GetProperty("id").GetGuid()).ToArray();
        var campaign = (await (await tenant.Http.PostAsJsonAsync("/campaigns", new { name = "Codes", lead_ids = ids, template_id = template }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var estimate = await (await tenant.Http.PostAsJsonAsync($"/campaigns/{campaign}/estimate", new { })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(3, estimate.GetProperty("recipients").GetInt32());
        var excluded = estimate.GetProperty("excluded");
        Assert.Equal((1, 1, 1, 0), (excluded.GetProperty("missing_variables").GetInt32(), excluded.GetProperty("invalid_destination").GetInt32(),
            excluded.GetProperty("suppressed").GetInt32(), excluded.GetProperty("opted_out").GetInt32()));
        // One segment of GSM-7, two of GSM-7 (over 160), one of UCS-2 (ë): paid per segment.
        Assert.Equal((4L, 4L), (estimate.GetProperty("segments").GetInt64(), estimate.GetProperty("credits").GetInt64()));
        Assert.Equal((2, 1), (estimate.GetProperty("encodings").GetProperty("gsm7").GetInt32(), estimate.GetProperty("encodings").GetProperty("ucs2").GetInt32()));

        var scheduled = await (await tenant.Http.PostAsJsonAsync($"/campaigns/{campaign}/schedule", new { })).ReadJsonAsync(HttpStatusCode.OK);
        var credits = await (await tenant.Http.GetAsync("/credits")).ReadJsonAsync(HttpStatusCode.OK);
        var charged = await api.Database.ScalarAsync<long>("SELECT sum(credit_cost)::bigint FROM messages WHERE campaign_id = $1", campaign);

        Assert.Equal(estimate.GetProperty("credits").GetInt64(), scheduled.GetProperty("credits").GetInt64());
        Assert.Equal(4L, charged);
        Assert.Equal((50L, 4L, 46L), (credits.GetProperty("balance").GetInt64(), credits.GetProperty("reserved").GetInt64(), credits.GetProperty("available").GetInt64()));
        var reserve = credits.GetProperty("transactions")[0];
        Assert.Equal(("reserve", -4L, campaign), (reserve.GetProperty("kind").GetString(), reserve.GetProperty("amount").GetInt64(), reserve.GetProperty("campaign_id").GetGuid()));
        // Frozen: a second schedule, an edit and a delete are refused.
        Assert.Equal("scheduled", (await (await tenant.Http.PostAsJsonAsync($"/campaigns/{campaign}/schedule", new { })).ReadProblemAsync(HttpStatusCode.Conflict))
            .GetProperty("campaign_status").GetString());
        await (await tenant.Http.PatchAsJsonAsync($"/campaigns/{campaign}", new { name = "Renamed" })).ReadProblemAsync(HttpStatusCode.Conflict);
        await (await tenant.Http.DeleteAsync($"/campaigns/{campaign}")).ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(6L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM campaign_recipients WHERE campaign_id = $1", campaign));
    }

    [Fact]
    public async Task ACampaignsOwnBodyIsRenderedForEachRecipientAsATemplateIs()
    {
        using var tenant = await api.CreateTenantAsync(credits: 10);
        var ada = (await tenant.CreateLeadAsync(new { phone = "+14155550921", first_name = "Ada" })).GetProperty("id").GetGuid();
        var anonymous = (await tenant.CreateLeadAsync(new { phone = "+14155550922" })).GetProperty("id").GetGuid();
        var grace = (await tenant.CreateLeadAsync(new { phone = "+14155550923", first_name = "Grace" })).GetProperty("id").GetGuid();
        var campaign = (await (await tenant.Http.PostAsJsonAsync("/campaigns", new
        {
            name = "Inline",
            lead_ids = new[] { ada, anonymous, grace },
            body = "Hi {{first_name|there}}, {{offer}} today.",
            variables = new Dictionary<string, string?> { ["offer"] = "20% off" },
        })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var estimate = await (await tenant.Http.PostAsJsonAsync($"/campaigns/{campaign}/estimate", new { })).ReadJsonAsync(HttpStatusCode.OK);
        await (await tenant.Http.PostAsJsonAsync($"/campaigns/{campaign}/schedule", new { })).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(3, estimate.GetProperty("recipients").GetInt32());
        Assert.Equal("Hi Ada, 20% off today.", await api.Database.ScalarAsync<string>("SELECT body FROM messages WHERE campaign_id = $1 AND lead_id = $2", campaign, ada));
        Assert.Equal("Hi there, 20% off today.", await api.Database.ScalarAsync<string>("SELECT body FROM messages WHERE campaign_id = $1 AND lead_id = $2", campaign, anonymous));
        Assert.Equal("Hi Grace, 20% off today.", await api.Database.ScalarAsync<string>("SELECT body FROM messages WHERE campaign_id = $1 AND lead_id = $2", campaign, grace));
    }

    [Fact]
    public async Task ADraftIsEditedAndDeletedAndAnotherTenantFindsNoneOfIt()
    {
        using var tenant = await api.CreateTenantAsync();
        using var other = await api.CreateTenantAsync();
        var lead = await tenant.CreateLeadAsync("+14155550921");
        var campaign = (await (await tenant.Http.PostAsJsonAsync("/campaigns", new { name = "Draft", lead_ids = new[] { lead }, body = "Hi" }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var edited = await (await tenant.Http.PatchAsJsonAsync($"/campaigns/{campaign}", new
        {
            name = "Renamed", send_at = new { local_time = "10:00", send_date = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), if_passed = "skip" },
        })).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", edited.GetProperty("name").GetString());
        Assert.Equal(("10:00", "skip"), (edited.GetProperty("send_at").GetProperty("local_time").GetString(), edited.GetProperty("send_at").GetProperty("if_passed").GetString()));
        var listed = await (await tenant.Http.GetAsync("/campaigns?status=draft")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(campaign, Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());

        foreach (var response in new[]
        {
            await other.Http.GetAsync($"/campaigns/{campaign}"),
            await other.Http.PatchAsJsonAsync($"/campaigns/{campaign}", new { name = "Mine" }),
            await other.Http.PostAsJsonAsync($"/campaigns/{campaign}/estimate", new { }),
            await other.Http.PostAsJsonAsync($"/campaigns/{campaign}/schedule", new { }),
            await other.Http.PostAsJsonAsync($"/campaigns/{campaign}/cancel", new { }),
            await other.Http.GetAsync($"/campaigns/{campaign}/recipients"),
            await other.Http.DeleteAsync($"/campaigns/{campaign}"),
        })
        {
            await response.ReadProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Empty((await (await other.Http.GetAsync("/campaigns")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Http.DeleteAsync($"/campaigns/{campaign}")).StatusCode);
        await (await tenant.Http.GetAsync($"/campaigns/{campaign}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }
}
