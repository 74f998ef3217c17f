using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;

namespace SmsRemarketing.Api.Tests.Features.Webhooks;

public sealed class InboundSmsTests(WebhookFixture api) : IClassFixture<WebhookFixture>
{
    private const string Path = "/webhooks/twilio/inbound";
    private const string ClientNumber = "+14155550199";
    private const string LeadPhone = "+14155550161";

    private static int _nextNumber = 2000;

    [Theory]
    [InlineData("STOP")]
    [InlineData(" stop \n")]
    [InlineData("Unsubscribe")]
    [InlineData("optout")]
    [InlineData("STOPALL")]
    [InlineData("cancel")]
    [InlineData("End")]
    [InlineData("QUIT")]
    [InlineData("revoke")]
    public async Task AStopKeywordOptsTheLeadOutAndRecordsWhy(string body)
    {
        var (_, number, lead) = await ClientWithLeadAsync();

        var reply = await PostAsync(number, LeadPhone, body);

        Assert.Empty(reply.Elements());
        Assert.NotNull(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
        Assert.Equal("opt_out/keyword", await api.Database.ScalarAsync<string>(
            "SELECT string_agg(kind || '/' || source, ',') FROM consent_events WHERE lead_id = $1", lead));
        Assert.Equal("opt_out", await api.Database.ScalarAsync<string>("SELECT keyword FROM inbound_messages WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task AStopInsideASentenceIsStoredButOptsNothingOut()
    {
        var (_, number, lead) = await ClientWithLeadAsync();

        await PostAsync(number, LeadPhone, "STOP PLEASE");

        Assert.Null(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
        Assert.Equal("STOP PLEASE", await api.Database.ScalarAsync<string>("SELECT body FROM inbound_messages WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task AStartKeywordOptsTheLeadBackInAfterAStop()
    {
        var (_, number, lead) = await ClientWithLeadAsync();
        await PostAsync(number, LeadPhone, "STOP");

        var reply = await PostAsync(number, LeadPhone, "start");

        Assert.Empty(reply.Elements());
        Assert.Null(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
        Assert.Equal("opt_out,opt_in", await api.Database.ScalarAsync<string>(
            "SELECT string_agg(kind, ',' ORDER BY occurred_at, id) FROM consent_events WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task ARepeatedStopRecordsOneOptOut()
    {
        var (_, number, lead) = await ClientWithLeadAsync();

        await PostAsync(number, LeadPhone, "STOP");
        await PostAsync(number, LeadPhone, "stop");

        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM consent_events WHERE lead_id = $1", lead));
        Assert.Equal(2L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE lead_id = $1", lead));
    }

    [Fact]
    public async Task HelpIsAnsweredWithTheClientsHelpTextInTwiML()
    {
        var (tenant, number, _) = await ClientWithLeadAsync();
        (await tenant.Http.PutAsJsonAsync("/compliance/help-text", new { help_text = "Acme & Co: call 555-0100 <24/7>. Reply STOP to opt out." }))
            .EnsureSuccessStatusCode();

        var response = await api.PostSignedAsync(Path, Fields(number, LeadPhone, "help"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("Response", twiml.Name.LocalName);
        Assert.Equal("Acme & Co: call 555-0100 <24/7>. Reply STOP to opt out.", Assert.Single(twiml.Elements("Message")).Value);
    }

    [Fact]
    public async Task InfoWithoutHelpTextIsAnsweredWithTheDefaultNamingTheClient()
    {
        var (_, number, _) = await ClientWithLeadAsync(name: "Zenith Bikes");

        var reply = await PostAsync(number, LeadPhone, "INFO");

        Assert.StartsWith("Zenith Bikes:", Assert.Single(reply.Elements("Message")).Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageIsStoredAgainstTheLeadOfTheClientWhoseNumberWasTexted()
    {
        var (tenant, number, lead) = await ClientWithLeadAsync();
        using var other = await api.CreateTenantAsync();
        var otherLead = await other.CreateLeadAsync(LeadPhone);

        var reply = await PostAsync(number, LeadPhone, "Is the sale still on?");

        Assert.Empty(reply.Elements());
        Assert.Equal(tenant.Id, await api.Database.ScalarAsync<Guid>("SELECT client_id FROM inbound_messages WHERE lead_id = $1", lead));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE lead_id = $1", otherLead));
    }

    [Fact]
    public async Task AClientIsFoundByItsMessagingServiceSid()
    {
        var serviceSid = "MG" + Guid.NewGuid().ToString("N");
        using var tenant = await TenantAsync(new { name = "Acme", email = "ops@acme.test", messaging_service_sid = serviceSid });
        var lead = await tenant.CreateLeadAsync(LeadPhone);
        var fields = Fields("+14155550198", LeadPhone, "STOP");
        fields["MessagingServiceSid"] = serviceSid;

        (await api.PostSignedAsync(Path, fields)).EnsureSuccessStatusCode();

        Assert.NotNull(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
    }

    [Fact]
    public async Task AStopToTheSharedDefaultSenderOptsOutTheLeadAtEveryClientWithoutASenderOfItsOwn()
    {
        var phone = "+14155550162";
        using var first = await api.CreateTenantAsync();
        using var second = await api.CreateTenantAsync();
        var firstLead = await first.CreateLeadAsync(phone);
        var secondLead = await second.CreateLeadAsync(phone);

        await PostAsync("+15005550006", phone, "STOP");

        Assert.NotNull(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", firstLead));
        Assert.NotNull(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", secondLead));
    }

    [Fact]
    public async Task ASendAfterStopIsSuppressedAndAfterStartIsQueued()
    {
        var (tenant, number, lead) = await ClientWithLeadAsync();
        await PostAsync(number, LeadPhone, "STOP");

        var suppressed = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Sale!" })).ReadJsonAsync(HttpStatusCode.Accepted);
        await PostAsync(number, LeadPhone, "START");
        var queued = await (await tenant.Http.PostAsJsonAsync("/messages/send", new { lead_id = lead, body = "Sale!" })).ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("suppressed", suppressed.GetProperty("status").GetString());
        Assert.Equal("queued", queued.GetProperty("status").GetString());
    }

    [Fact]
    public async Task AForgedInboundMessageIsRefusedAndNothingChanges()
    {
        var (_, number, lead) = await ClientWithLeadAsync();
        var fields = Fields(number, LeadPhone, "STOP");

        await (await api.PostSignedAsync(Path, fields, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")).ReadProblemAsync(HttpStatusCode.Forbidden);

        Assert.Null(await api.Database.ScalarAsync<DateTime?>("SELECT opted_out_at FROM leads WHERE id = $1", lead));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM inbound_messages WHERE lead_id = $1", lead));
    }

    private async Task<XElement> PostAsync(string to, string from, string body)
    {
        var response = await api.PostSignedAsync(Path, Fields(to, from, body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        var root = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("Response", root.Name.LocalName);
        return root;
    }

    private static Dictionary<string, string> Fields(string to, string from, string body) => new()
    {
        ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"), ["AccountSid"] = "AC" + new string('0', 32),
        ["From"] = from, ["To"] = to, ["Body"] = body, ["NumMedia"] = "0", ["NumSegments"] = "1", ["FromCountry"] = "US",
    };

    /// <summary>A client with its own number (unique per test) and a lead at <see cref="LeadPhone"/>.</summary>
    private async Task<(Tenant Tenant, string Number, Guid Lead)> ClientWithLeadAsync(string name = "Acme")
    {
        var number = $"+1415555{Interlocked.Increment(ref _nextNumber)}";
        var tenant = await TenantAsync(new { name, email = "ops@acme.test", from_number = number });
        var lead = await tenant.CreateLeadAsync(LeadPhone);
        return (tenant, number, lead);
    }

    private async Task<Tenant> TenantAsync(object client)
    {
        using var admin = api.Admin();
        var created = await (await admin.PostAsJsonAsync("/clients", client)).ReadJsonAsync(HttpStatusCode.Created);
        var apiKey = created.GetProperty("api_key").GetString()!;
        var id = created.GetProperty("id").GetGuid();
        // Replies and sends here must not depend on the time of day the test runs at.
        (await admin.PatchAsJsonAsync($"/clients/{id}", new { quiet_hours_enabled = false, frequency_caps = Array.Empty<object>() })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/credits/add", new { client_id = id, amount = 10, reference = $"seed-{id}" })).EnsureSuccessStatusCode();
        return new Tenant(id, apiKey, api.WithApiKey(apiKey));
    }
}
