using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Domain.Delivery;

namespace SmsRemarketing.Domain.Tests.Delivery;

public sealed class RecipientTimeZoneTests
{
    private static readonly Client Client = new() { Name = "Acme", Email = "ops@acme.test", ApiKeyPrefix = "sk_x", ApiKeyHash = [], Timezone = "America/Chicago" };

    [Theory]
    [InlineData(null, "+4915123456789", "Europe/Berlin", "phone")]           // +49 implies one zone
    [InlineData(null, "+33612345678", "Europe/Paris", "phone")]              // +33 implies one zone
    [InlineData("UTC", "+3545512345", "Atlantic/Reykjavik", "phone")]        // +354 too (UTC all year, as the Dispatcher's tests use it)
    [InlineData(null, "+14155550123", "America/Los_Angeles", "phone")]      // a +1 area code (415) implies one zone
    [InlineData("Asia/Tokyo", "+4915123456789", "Europe/Berlin", "phone")]   // a single-zone number wins over the lead's
    [InlineData("Pacific/Kiritimati", "+12125550123", "America/New_York", "phone")] // a New York number cannot be moved
    [InlineData(null, "+18005550123", "America/Chicago", "client")]          // a toll-free +1 800 spans many zones: the client's is one
    [InlineData("America/Los_Angeles", "+18005550123", "America/Los_Angeles", "lead")] // ... and the lead chooses among them
    [InlineData("Pacific/Kiritimati", "+18005550123", "America/Chicago", "client")]   // ... but not outside them
    [InlineData("Not/AZone", "+18005550123", "America/Chicago", "client")]   // an unknown stored zone is ignored
    public void TheNumbersOnlyZoneWinsAndTheLeadsZoneChoosesOnlyAmongTheNumbers(string? leadZone, string phone, string expected, string source)
    {
        var lead = new Lead { ClientId = Client.Id, Phone = phone, Timezone = leadZone };

        var (zone, from) = RecipientTimeZone.Of(lead, Client);

        Assert.Equal(expected, zone.Id);
        Assert.Equal(source, from);
    }

    [Fact]
    public void AMultiZoneNumberOutsideTheClientsZoneGoesByTheFirstOfItsZones()
    {
        var zones = RecipientTimeZone.ZonesOf("+79161234567"); // +7 9xx (Russian mobile) spans many zones, Chicago not among them
        var lead = new Lead { ClientId = Client.Id, Phone = "+79161234567", Timezone = "America/New_York" };

        var (zone, from) = RecipientTimeZone.Of(lead, Client);

        Assert.True(zones.Count > 1);
        Assert.Equal(zones[0], zone.Id);
        Assert.Equal("phone", from);
    }
}
