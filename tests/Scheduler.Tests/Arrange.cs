using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Credits;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Data.Triggers;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Scheduler.Tests;

/// <summary>Rows a test needs, written straight to its database.</summary>
internal static class Arrange
{
    /// <summary>
    /// A client with credits. Quiet hours and the frequency cap are off unless <paramref name="deliveryPolicy"/>: a test
    /// about something else must not depend on the time of day it runs at.
    /// </summary>
    public static async Task<Client> ClientAsync(
        TestDatabase database, string timezone = "America/New_York", long credits = 100, bool active = true, bool deliveryPolicy = false,
        Action<Client>? configure = null)
    {
        await using var db = database.CreateDbContext();
        var client = new Client
        {
            Name = "Acme", Email = "ops@acme.test", ApiKeyPrefix = $"sk_{Guid.NewGuid():N}"[..11], ApiKeyHash = new byte[32],
            Timezone = timezone, IsActive = active,
        };
        if (!deliveryPolicy)
        {
            client.QuietHoursEnabled = false;
            client.FrequencyCaps = [];
        }

        configure?.Invoke(client);
        db.Clients.Add(client);
        await db.SaveChangesAsync();
        if (credits > 0)
        {
            db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = credits, Kind = CreditTransactionKind.Purchase });
            await db.SaveChangesAsync();
        }

        return client;
    }

    public static async Task<Trigger> TriggerAsync(
        TestDatabase database, Client client, TriggerType type, string body = "Hi {{first_name|there}}", int? days = null, bool active = true)
    {
        await using var db = database.CreateDbContext();
        var template = new Template { ClientId = client.Id, Name = $"t-{Guid.NewGuid():N}", Body = body };
        var trigger = new Trigger { ClientId = client.Id, Name = "auto", Type = type, TemplateId = template.Id, Days = days, IsActive = active };
        db.AddRange(template, trigger);
        await db.SaveChangesAsync();
        return trigger;
    }

    public static async Task<Lead> LeadAsync(
        TestDatabase database, Client client, string phone, DateTimeOffset? createdAt = null, string? firstName = "Ada", bool optedOut = false)
    {
        await using var db = database.CreateDbContext();
        var at = (createdAt ?? DateTimeOffset.UtcNow).ToUniversalTime();
        var lead = new Lead
        {
            ClientId = client.Id, Phone = phone, FirstName = firstName, CreatedAt = at, UpdatedAt = at,
        };
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        if (optedOut)
        {
            await database.OptOutLeadAsync(lead.Id, at);
            await db.Entry(lead).ReloadAsync();
        }

        return lead;
    }

    public static Task<long> CountAsync(TestDatabase database, string sql, params object[] parameters) =>
        database.ScalarAsync<long>(sql, parameters);
}
