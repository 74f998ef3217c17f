extern alias emulator;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmsRemarketing.Testing;
using FaultSettings = emulator::SmsRemarketing.TwilioEmulator.Faults.FaultSettings;

namespace SmsRemarketing.EndToEnd.Tests;

/// <summary>
/// Campaigns from segment to completed: the Api (segments, estimate, schedule, credits), the Scheduler's campaign
/// pass, the Dispatcher's campaign lane, and the emulator as the only way out.
/// </summary>
public sealed class CampaignTests(ServicesUnderTest stack) : IClassFixture<ServicesUnderTest>
{
    [Fact]
    public async Task ACampaignToASegmentSendsOneMessageToEachMemberChargesWhatTheEstimateSaidAndClosesItsAccount()
    {
        var (_, tenant) = await stack.NewTenantAsync(credits: 20);
        var gold = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            gold.Add(await LeadAsync(tenant, $"+1415555{1100 + i}", "Ada", "gold"));
        }

        await LeadAsync(tenant, "+14155551200", "Bob", "silver");
        var stopped = await LeadAsync(tenant, "+14155551300", "Cy", "gold");
        await stack.InboundAsync("+14155551300", "STOP");
        var segment = (await tenant.PostAsync("/segments", new
        {
            name = "Gold members",
            filter = new { all = new object[] { new { field = "custom_fields.tier", op = "eq", value = "gold" } } },
        })).GetProperty("id").GetGuid();
        // 161 characters once rendered for Ada: two segments each.
        var template = (await tenant.PostAsync("/templates", new { name = "gold", body = "Hi {{first_name}}, " + new string('x', 157) })).GetProperty("id").GetGuid();
        var campaign = (await tenant.PostAsync("/campaigns", new { name = "Gold sale", segment_id = segment, template_id = template }))
            .GetProperty("id").GetGuid();

        var estimate = await tenant.PostAsync($"/campaigns/{campaign}/estimate", new { });
        Assert.Equal(3, estimate.GetProperty("recipients").GetInt32());
        Assert.Equal(1, estimate.GetProperty("excluded").GetProperty("opted_out").GetInt32());
        Assert.Equal(6L, estimate.GetProperty("segments").GetInt64());
        Assert.Equal(3L, estimate.GetProperty("credits").GetInt64()); // one credit a message at home

        var scheduled = await tenant.PostAsync($"/campaigns/{campaign}/schedule", new { });
        Assert.Equal(estimate.GetProperty("credits").GetInt64(), scheduled.GetProperty("credits").GetInt64());
        var completed = await Eventually.WaitAsync(() => tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{campaign}"),
            c => c.GetProperty("status").GetString() == "completed", "the campaign to complete", TimeSpan.FromSeconds(60));

        foreach (var lead in gold)
        {
            var phone = (await tenant.GetFromJsonAsync<JsonElement>($"/leads/{lead}")).GetProperty("phone").GetString();
            Assert.Single(await stack.TwilioAdmin.GetMessagesAsync(to: phone));
        }

        Assert.Empty(await stack.TwilioAdmin.GetMessagesAsync(to: "+14155551200"));
        Assert.Empty(await stack.TwilioAdmin.GetMessagesAsync(to: "+14155551300"));
        var credits = completed.GetProperty("credits");
        Assert.Equal((3L, 3L, 0L, 0L), (credits.GetProperty("reserved").GetInt64(), credits.GetProperty("spent").GetInt64(),
            credits.GetProperty("released").GetInt64(), credits.GetProperty("held").GetInt64()));
        var account = await tenant.GetFromJsonAsync<JsonElement>("/credits");
        Assert.Equal((17L, 0L, 17L), (account.GetProperty("balance").GetInt64(), account.GetProperty("reserved").GetInt64(), account.GetProperty("available").GetInt64()));
        var recipients = (await tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{campaign}/recipients")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(4, recipients.Count);
        var excluded = Assert.Single(recipients, r => r.GetProperty("excluded").ValueKind == JsonValueKind.String);
        Assert.Equal((stopped, "opted_out"), (excluded.GetProperty("lead_id").GetGuid(), excluded.GetProperty("excluded").GetString()));
        Assert.All(recipients.Where(r => r.GetProperty("message_id").ValueKind != JsonValueKind.Null),
            r => Assert.StartsWith("SM", r.GetProperty("twilio_sid").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScheduleWithoutEnoughCreditIsRefusedAndKeepsNothingAndCancelGivesBackWhatAScheduledCampaignHeld()
    {
        var (_, tenant) = await stack.NewTenantAsync(credits: 2);
        var leads = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            leads.Add(await LeadAsync(tenant, $"+1415555{1400 + i}", "Ada", "any"));
        }

        var tooBig = (await tenant.PostAsync("/campaigns", new { name = "Too big", lead_ids = leads, body = "Sale!" })).GetProperty("id").GetGuid();
        var refused = await tenant.PostAsJsonAsync($"/campaigns/{tooBig}/schedule", new { });
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((3L, 2L), (problem.GetProperty("credits").GetInt64(), problem.GetProperty("available").GetInt64()));
        Assert.Equal("draft", (await tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{tooBig}")).GetProperty("status").GetString());
        Assert.Empty((await tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{tooBig}/recipients")).GetProperty("data").EnumerateArray());

        var later = (await tenant.PostAsync("/campaigns", new
        {
            name = "Later", lead_ids = leads.Take(2), body = "Sale tomorrow!", send_at = DateTimeOffset.UtcNow.AddHours(20),
        })).GetProperty("id").GetGuid();
        await tenant.PostAsync($"/campaigns/{later}/schedule", new { });
        var held = await tenant.GetFromJsonAsync<JsonElement>("/credits");
        Assert.Equal((2L, 2L, 0L), (held.GetProperty("balance").GetInt64(), held.GetProperty("reserved").GetInt64(), held.GetProperty("available").GetInt64()));
        // Nothing left for any other send while the campaign holds it all.
        var manual = await tenant.PostAsJsonAsync("/messages/send", new { lead_id = leads[2], body = "Hi" });
        Assert.Equal(HttpStatusCode.PaymentRequired, manual.StatusCode);

        var canceled = await tenant.PostAsync($"/campaigns/{later}/cancel", new { });

        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Equal((2L, 0L, 2L), (canceled.GetProperty("credits").GetProperty("reserved").GetInt64(),
            canceled.GetProperty("credits").GetProperty("spent").GetInt64(), canceled.GetProperty("credits").GetProperty("released").GetInt64()));
        var after = await tenant.GetFromJsonAsync<JsonElement>("/credits");
        Assert.Equal((2L, 0L, 2L), (after.GetProperty("balance").GetInt64(), after.GetProperty("reserved").GetInt64(), after.GetProperty("available").GetInt64()));
        var statuses = (await tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{later}/recipients")).GetProperty("data").EnumerateArray()
            .Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["canceled", "canceled"], statuses);
        Assert.Equal(HttpStatusCode.Conflict, (await tenant.PostAsJsonAsync($"/campaigns/{later}/cancel", new { })).StatusCode);
    }

    [Fact]
    public async Task AManualSendDuringACampaignIsNotQueuedBehindItAndAPauseHoldsTheRestUntilResumed()
    {
        var (_, tenant) = await stack.NewTenantAsync(credits: 100);
        var leads = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            leads.Add(await LeadAsync(tenant, $"+1415555{1500 + i}", "Ada", "any"));
        }

        var walkIn = await LeadAsync(tenant, "+14155551600", "Dee", "walk-in");
        var campaign = (await tenant.PostAsync("/campaigns", new { name = "Drain", lead_ids = leads, body = "Big sale!" })).GetProperty("id").GetGuid();
        // Every request to Twilio takes 300 ms: the campaign lane (2 at a time here) needs about 6 s for 40.
        await stack.TwilioAdmin.SetFaultsAsync(new FaultSettings { LatencyMs = 300 });
        try
        {
            await tenant.PostAsync($"/campaigns/{campaign}/schedule", new { });
            await Eventually.WaitAsync(() => SentCountAsync(tenant, campaign), sent => sent >= 2, "the campaign to start sending");

            var manual = await tenant.SendAsync(walkIn, "Your table is ready");
            await tenant.WaitForStatusAsync(manual, "sent", "delivered");

            // The manual send went out while most of the campaign was still to go: it did not wait in its line.
            Assert.True(await SentCountAsync(tenant, campaign) < 30, "the manual send waited for the campaign");

            await tenant.PostAsync($"/campaigns/{campaign}/pause", new { });
            // What was in flight when the pause came finishes; nothing after it starts.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var atPause = await SentCountAsync(tenant, campaign);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(atPause, await SentCountAsync(tenant, campaign));
            Assert.True(atPause < 40, "the pause came after the campaign had finished");

            await tenant.PostAsync($"/campaigns/{campaign}/resume", new { });
            var completed = await Eventually.WaitAsync(() => tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{campaign}"),
                c => c.GetProperty("status").GetString() == "completed", "the resumed campaign to complete", TimeSpan.FromSeconds(60));
            Assert.Equal(40L, completed.GetProperty("credits").GetProperty("spent").GetInt64());
            var recipients = (await tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{campaign}/recipients?limit=100")).GetProperty("data").EnumerateArray().ToList();
            foreach (var recipient in recipients)
            {
                var phone = recipient.GetProperty("phone").GetString();
                var atTwilio = await stack.TwilioAdmin.GetMessagesAsync(to: phone);
                Assert.True(atTwilio.Count == 1, $"{phone}: {atTwilio.Count} at Twilio; {recipient}");
            }
        }
        finally
        {
            await stack.TwilioAdmin.SetFaultsAsync(new FaultSettings());
        }
    }

    private static async Task<Guid> LeadAsync(HttpClient tenant, string phone, string firstName, string tier) =>
        (await tenant.PostAsync("/leads", new { phone, first_name = firstName, consent_source = "web_form", consent_at = DateTimeOffset.UtcNow, custom_fields = new { tier } }))
            .GetProperty("id").GetGuid();

    private static async Task<int> SentCountAsync(HttpClient tenant, Guid campaign)
    {
        var progress = (await tenant.GetFromJsonAsync<JsonElement>($"/campaigns/{campaign}")).GetProperty("progress");
        return progress.GetProperty("sent").GetInt32() + progress.GetProperty("delivered").GetInt32() + progress.GetProperty("undelivered").GetInt32();
    }
}
