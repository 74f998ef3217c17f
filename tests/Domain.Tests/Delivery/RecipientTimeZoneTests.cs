using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Tests.Delivery;

public sealed class RecipientTimeZoneTests
{
    private static readonly Client Client = new() { Name = "Acme", Email = "ops@acme.test", ApiKeyPrefix = "sk_x", ApiKeyHash = [], Timezone = "America/Chicago" };

    [Theory]
    [InlineData("Asia/Tokyo", "+4915123456789", "Asia/Tokyo", "lead")]       // the lead's own zone first
    [InlineData(null, "+4915123456789", "Europe/Berlin", "phone")]           // +49 implies one zone
    [InlineData(null, "+33612345678", "Europe/Paris", "phone")]              // +33 implies one zone
    [InlineData(null, "+14155550123", "America/Los_Angeles", "phone")]      // a +1 area code (415) implies one zone
    [InlineData(null, "+18005550123", "America/Chicago", "client")]          // a toll-free +1 800 spans many zones: the client's
    [InlineData(null, "+79161234567", "America/Chicago", "client")]          // +7 9xx (Russian mobile) spans many too
    [InlineData("Not/AZone", "+18005550123", "America/Chicago", "client")]   // an unknown stored zone is ignored
    public void TheLeadsZoneComesBeforeItsNumbersWhichComesBeforeTheClients(string? leadZone, string phone, string expected, string source)
    {
        var lead = new Lead { ClientId = Client.Id, Phone = phone, Timezone = leadZone };

        var (zone, from) = RecipientTimeZone.Of(lead, Client);

        Assert.Equal(expected, zone.Id);
        Assert.Equal(source, from);
    }
}
