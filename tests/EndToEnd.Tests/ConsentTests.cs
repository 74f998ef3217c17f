using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmsRemarketing.Contracts;
using SmsRemarketing.Testing;

namespace SmsRemarketing.EndToEnd.Tests;

/// <summary>
/// Consent that follows the phone number, who may lift an opt-out, keywords beyond English, and double opt-in: the
/// Api, Dispatcher and Scheduler together, Twilio's signed inbound webhook, and the emulator as the only way out.
/// </summary>
public sealed class ConsentTests(ServicesUnderTest stack) : IClassFixture<ServicesUnderTest>
{
    private static readonly string[] CustomOptOut = ["basta ya"];

    [Fact]
    public async Task AStopOutlivesTheLeadAndEveryPathThatRecreatesThePhoneFindsItSuppressedWithoutCharge()
    {
        const string phone = "+14155550301";
        var (clientId, tenant) = await stack.NewTenantAsync(credits: 5);
        var template = (await tenant.PostAsync("/templates", new { name = "welcome", body = "Welcome!" })).GetProperty("id").GetGuid();
        var hook = (await tenant.PostAsync("/triggers", new { name = "hook", type = "webhook", template_id = template })).GetProperty("id").GetGuid();
        await tenant.PostAsync("/triggers", new { name = "new", type = "new_lead", template_id = template });
        var first = (await tenant.PostAsync("/leads", new { phone })).GetProperty("id").GetGuid();
        await WaitForMessagesAsync(first, 1);
        await stack.InboundAsync(phone, "STOP");
        (await tenant.DeleteAsync($"/leads/{first}")).EnsureSuccessStatusCode();
        var sentBefore = (await stack.TwilioAdmin.GetMessagesAsync(to: phone)).Count;

        // POST /leads
        var byApi = await tenant.PostAsync("/leads", new { phone });
        Assert.True(byApi.GetProperty("opted_out").GetBoolean());
        var manual = await tenant.SendAsync(byApi.GetProperty("id").GetGuid(), "Flash sale!");
        Assert.Equal("suppressed", (await tenant.GetFromJsonAsync<JsonElement>($"/messages/{manual}")).GetProperty("status").GetString());
        await WaitForMessagesAsync(byApi.GetProperty("id").GetGuid(), 2, "suppressed");
        (await tenant.DeleteAsync($"/leads/{byApi.GetProperty("id").GetGuid()}")).EnsureSuccessStatusCode();

        // a webhook trigger that creates its lead
        var fired = await tenant.PostAsync($"/triggers/{hook}/fire", new { phone, create_lead = true });
        Assert.Equal("suppressed", fired.GetProperty("status").GetString());
        (await tenant.DeleteAsync($"/leads/{fired.GetProperty("lead_id").GetGuid()}")).EnsureSuccessStatusCode();

        // another system's LeadCreated
        await stack.Bus.Publish(new LeadCreated { ClientId = clientId, Phone = phone, OccurredAt = DateTimeOffset.UtcNow });
        var foreign = await Eventually.WaitAsync(
            () => stack.Database.ScalarAsync<Guid?>("SELECT id FROM leads WHERE client_id = $1 AND phone = $2", clientId, phone),
            id => id is not null, "the foreign lead to be created");
        Assert.True(await stack.Database.ScalarAsync<bool>("SELECT opted_out_at IS NOT NULL FROM leads WHERE id = $1", foreign!.Value));
        await WaitForMessagesAsync(foreign.Value, 1, "suppressed");

        Assert.Equal(sentBefore, (await stack.TwilioAdmin.GetMessagesAsync(to: phone)).Count);
        Assert.Equal(4L, await stack.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", clientId));
        var history = await tenant.GetFromJsonAsync<JsonElement>($"/consent/{Uri.EscapeDataString(phone)}");
        Assert.True(history.GetProperty("opted_out").GetBoolean());
        Assert.Equal(foreign.Value, history.GetProperty("lead_id").GetGuid());
        var optOut = Assert.Single(history.GetProperty("events").EnumerateArray());
        Assert.Equal("keyword", optOut.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, optOut.GetProperty("lead_id").ValueKind);
    }

    [Fact]
    public async Task ATenantCannotLiftAKeywordOptOutButTheirStartCan()
    {
        const string phone = "+14155550302";
        var (_, tenant) = await stack.NewTenantAsync(credits: 2);
        var lead = (await tenant.PostAsync("/leads", new { phone })).GetProperty("id").GetGuid();
        await stack.InboundAsync(phone, "Stop.");
        var proof = new { consent_source = "web_form", consent_at = DateTimeOffset.UtcNow.AddMinutes(-5), consent_text = "I agree to texts" };

        var refused = await tenant.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/suppressions/{lead}") { Content = JsonContent.Create(proof) });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var withoutProof = await tenant.DeleteAsync($"/suppressions/{lead}");
        await stack.InboundAsync(phone, "UNSTOP");
        var sent = await tenant.SendAsync(lead, "Welcome back");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("only the person", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("keyword", problem.GetProperty("opt_out_source").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, withoutProof.StatusCode);
        await tenant.WaitForStatusAsync(sent, "delivered");
        var events = await tenant.GetFromJsonAsync<JsonElement>($"/leads/{lead}/consent-events");
        Assert.Equal(["opt_out:keyword", "opt_in:keyword"],
            events.EnumerateArray().Select(e => $"{e.GetProperty("kind").GetString()}:{e.GetProperty("source").GetString()}"));
    }

    [Fact]
    public async Task AnOptOutTheClientRecordedIsLiftedOnlyWithTheRenewedConsent()
    {
        const string phone = "+14155550303";
        var (_, tenant) = await stack.NewTenantAsync(credits: 0);
        await tenant.PostAsync("/suppressions", new { phone, note = "asked on the phone" });
        var lead = (await tenant.PostAsync("/leads", new { phone })).GetProperty("id").GetGuid();

        var lifted = await tenant.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/suppressions/by-phone/{Uri.EscapeDataString(phone)}")
        {
            Content = JsonContent.Create(new { consent_source = "paper_form", consent_at = DateTimeOffset.UtcNow.AddDays(-1), consent_text = "Form v2, signed" }),
        });

        Assert.Equal(HttpStatusCode.NoContent, lifted.StatusCode);
        Assert.False((await tenant.GetFromJsonAsync<JsonElement>($"/leads/{lead}")).GetProperty("opted_out").GetBoolean());
        var optIn = (await tenant.GetFromJsonAsync<JsonElement>($"/leads/{lead}/consent-events")).EnumerateArray().Last();
        Assert.Equal("api", optIn.GetProperty("source").GetString());
        Assert.Equal("paper_form", optIn.GetProperty("consent_source").GetString());
        Assert.Equal("Form v2, signed", optIn.GetProperty("consent_text").GetString());
    }

    [Fact]
    public async Task SpanishFrenchCustomKeywordsAndTwiliosOptOutTypeAreHonoured()
    {
        var (_, tenant) = await stack.NewTenantAsync(credits: 0);
        (await tenant.PatchAsJsonAsync("/compliance/consent-settings", new { custom_keywords = new { opt_out = CustomOptOut } }))
            .EnsureSuccessStatusCode();
        string[] phones = ["+14155550304", "+14155550305", "+14155550306", "+14155550307"];
        foreach (var phone in phones)
        {
            await tenant.PostAsync("/leads", new { phone });
        }

        var spanish = await stack.InboundAsync(phones[0], "Parar");
        var french = await stack.InboundAsync(phones[1], " arrêt ! ");
        var custom = await stack.InboundAsync(phones[2], "BASTA-YA");
        var advanced = await stack.InboundAsync(phones[3], "Por favor no", new Dictionary<string, string> { ["OptOutType"] = "STOP" });
        var reSubscribed = await stack.InboundAsync(phones[1], "Oui");

        Assert.Contains("unsubscribed", Assert.Single(spanish.Elements("Message")).Value, StringComparison.Ordinal);
        Assert.Contains("unsubscribed", Assert.Single(french.Elements("Message")).Value, StringComparison.Ordinal);
        Assert.Single(custom.Elements("Message"));
        Assert.Empty(advanced.Elements());
        Assert.Contains("subscribed again", Assert.Single(reSubscribed.Elements("Message")).Value, StringComparison.Ordinal);
        var sources = new List<string?>();
        foreach (var phone in phones)
        {
            var consent = await tenant.GetFromJsonAsync<JsonElement>($"/consent/{Uri.EscapeDataString(phone)}");
            sources.Add(consent.GetProperty("opted_out").GetBoolean() ? consent.GetProperty("opt_out_source").GetString() : "subscribed");
        }

        Assert.Equal(["keyword", "subscribed", "keyword", "twilio_opt_out_type"], sources);
    }

    [Fact]
    public async Task AnOptOutInOtherWordsIsFlaggedAndOptsOutOnlyWhenTheClientAsks()
    {
        const string phone = "+14155550308";
        var (_, tenant) = await stack.NewTenantAsync(credits: 0);
        var lead = (await tenant.PostAsync("/leads", new { phone })).GetProperty("id").GetGuid();

        await stack.InboundAsync(phone, "Please stop texting me");
        var flaggedOnly = (await tenant.GetFromJsonAsync<JsonElement>($"/leads/{lead}")).GetProperty("opted_out").GetBoolean();
        (await tenant.PatchAsJsonAsync("/compliance/consent-settings", new { opt_out_on_possible_opt_out = true })).EnsureSuccessStatusCode();
        await stack.InboundAsync(phone, "No me envíen más mensajes, gracias");

        Assert.False(flaggedOnly);
        var flagged = await tenant.GetFromJsonAsync<JsonElement>("/inbound-messages?possible_opt_out=true");
        Assert.Equal(2, flagged.GetProperty("data").GetArrayLength());
        var consent = await tenant.GetFromJsonAsync<JsonElement>($"/consent/{Uri.EscapeDataString(phone)}");
        Assert.Equal("message_text", consent.GetProperty("opt_out_source").GetString());
    }

    [Fact]
    public async Task DoubleOptInSendsOneConfirmationAndNothingElseUntilYes()
    {
        const string phone = "+14155550309";
        var (clientId, tenant) = await stack.NewTenantAsync(credits: 5);
        (await tenant.PatchAsJsonAsync("/compliance/consent-settings", new { double_opt_in = true, confirmation_text = "Acme: reply YES for deals." }))
            .EnsureSuccessStatusCode();
        var template = (await tenant.PostAsync("/templates", new { name = "welcome", body = "Welcome to Acme deals" })).GetProperty("id").GetGuid();
        await tenant.PostAsync("/triggers", new { name = "new", type = "new_lead", template_id = template });
        var created = await tenant.PostAsync("/leads", new { phone });
        var lead = created.GetProperty("id").GetGuid();

        var confirmation = await Eventually.WaitAsync(
            () => stack.TwilioAdmin.GetMessagesAsync(to: phone), sent => sent.Count == 1, "the confirmation to reach Twilio");
        var manual = await tenant.SendAsync(lead, "Flash sale!");
        // The same lead announced again (a redelivery, or another system's copy): no second confirmation.
        await stack.Bus.Publish(new LeadCreated { ClientId = clientId, LeadId = lead, Phone = phone, OccurredAt = DateTimeOffset.UtcNow });
        await Eventually.WaitAsync(
            () => stack.Database.ScalarAsync<long>("SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"), n => n == 0, "the outbox to drain");
        await stack.InboundAsync(phone, "yes");
        var welcome = await Eventually.WaitAsync(
            () => stack.TwilioAdmin.GetMessagesAsync(to: phone), sent => sent.Count == 2, "the welcome after YES");

        Assert.True(created.GetProperty("awaiting_confirmation").GetBoolean());
        Assert.Equal("Acme: reply YES for deals. Reply HELP for help, STOP to opt out.", Assert.Single(Assert.Single(confirmation).Form["Body"]));
        Assert.Equal("suppressed", (await tenant.GetFromJsonAsync<JsonElement>($"/messages/{manual}")).GetProperty("status").GetString());
        Assert.Contains(welcome, m => m.Form["Body"].Contains("Welcome to Acme deals"));
        Assert.False((await tenant.GetFromJsonAsync<JsonElement>($"/leads/{lead}")).GetProperty("awaiting_confirmation").GetBoolean());
        Assert.Equal(1L, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM messages WHERE lead_id = $1 AND source = 'confirmation'", lead));
        Assert.Equal(1L, await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM credit_transactions t JOIN messages m ON m.id = t.message_id WHERE m.lead_id = $1 AND m.source = 'confirmation' AND t.kind = 'sms_debit'", lead));
        var events = await tenant.GetFromJsonAsync<JsonElement>($"/leads/{lead}/consent-events");
        Assert.Equal(["confirmation_requested", "confirmed"], events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    /// <summary>Waits until the lead has <paramref name="count"/> messages, all in <paramref name="status"/> when given.</summary>
    private Task<long> WaitForMessagesAsync(Guid leadId, int count, string? status = null) =>
        Eventually.WaitAsync(
            () => stack.Database.ScalarAsync<long>(
                "SELECT count(*) FROM messages WHERE lead_id = $1 AND ($2::text IS NULL OR status = $2)", leadId, (object?)status ?? DBNull.Value),
            n => n >= count, $"{count} messages of lead {leadId}");
}
