using System.Net.Http.Json;
using System.Text.Json;

namespace SmsRemarketing.EndToEnd.Tests;

/// <summary>Twilio's status callbacks and inbound SMS, signed by the emulator's account, through the Api's real port.</summary>
public sealed class DeliveryAndConsentTests(ServicesUnderTest stack) : IClassFixture<ServicesUnderTest>
{
    [Fact]
    public async Task AMessageEndsDeliveredByTwiliosSignedStatusCallbacks()
    {
        var (_, tenant) = await stack.NewTenantAsync(credits: 1);
        var lead = await tenant.PostAsync("/leads", new { phone = "+14155550201" });

        var messageId = await SendAsync(tenant, lead.GetProperty("id").GetGuid(), "Your order shipped");

        var delivered = await tenant.WaitForStatusAsync(messageId, "delivered");
        Assert.Equal(JsonValueKind.String, delivered.GetProperty("delivered_at").ValueKind);
        var callbacks = await stack.TwilioAdmin.GetCallbacksAsync(delivered.GetProperty("twilio_sid").GetString());
        Assert.Equal(["sending", "sent", "delivered"], callbacks.Select(c => c.MessageStatus));
        Assert.All(callbacks, c => Assert.Equal(204, c.HttpStatus));
    }

    [Fact]
    public async Task AMessageToAnUnreachableHandsetEndsUndeliveredWith30003()
    {
        var (_, tenant) = await stack.NewTenantAsync(credits: 1);
        var lead = await tenant.PostAsync("/leads", new { phone = ServicesUnderTest.UndeliverableNumber });

        var messageId = await SendAsync(tenant, lead.GetProperty("id").GetGuid(), "Your order shipped");

        var undelivered = await tenant.WaitForStatusAsync(messageId, "undelivered");
        Assert.Equal(30003, undelivered.GetProperty("error_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, undelivered.GetProperty("delivered_at").ValueKind);
    }

    [Fact]
    public async Task AfterStopASendIsSuppressedWithoutCreditOrTwilioAndAfterStartItIsSent()
    {
        const string phone = "+14155550202";
        var (clientId, tenant) = await stack.NewTenantAsync(credits: 5);
        var leadId = (await tenant.PostAsync("/leads", new { phone })).GetProperty("id").GetGuid();

        Assert.Empty((await stack.InboundAsync(phone, "STOP")).Elements());
        var suppressedId = await SendAsync(tenant, leadId, "Flash sale!");
        var suppressed = await tenant.GetFromJsonAsync<JsonElement>($"/messages/{suppressedId}");
        Assert.Equal("suppressed", suppressed.GetProperty("status").GetString());
        Assert.Equal(5L, await stack.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", clientId));

        Assert.Empty((await stack.InboundAsync(phone, "start")).Elements());
        var sentId = await SendAsync(tenant, leadId, "Flash sale!");
        await tenant.WaitForStatusAsync(sentId, "delivered");

        // Only the message sent after START ever reached Twilio, and only it was paid for.
        Assert.Single(await stack.TwilioAdmin.GetMessagesAsync(to: phone));
        Assert.Equal(4L, await stack.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", clientId));
        Assert.Equal("suppressed", (await tenant.GetFromJsonAsync<JsonElement>($"/messages/{suppressedId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task HelpIsAnsweredWithTheClientsHelpText()
    {
        const string phone = "+14155550203";
        var (_, tenant) = await stack.NewTenantAsync(credits: 0);
        await tenant.PostAsync("/leads", new { phone });
        (await tenant.PutAsJsonAsync("/compliance/help-text", new { help_text = "Acme support: 555-0100. Reply STOP to opt out." }))
            .EnsureSuccessStatusCode();

        var reply = await stack.InboundAsync(phone, "HELP");

        Assert.Equal("Acme support: 555-0100. Reply STOP to opt out.", Assert.Single(reply.Elements("Message")).Value);
    }

    private static Task<Guid> SendAsync(HttpClient tenant, Guid leadId, string body) => tenant.SendAsync(leadId, body);
}
