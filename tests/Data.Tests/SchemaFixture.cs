using SmsRemarketing.Data.Clients;
using SmsRemarketing.Data.Leads;
using SmsRemarketing.Data.Messages;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Testing;

namespace SmsRemarketing.Data.Tests;

/// <summary>One migrated database per test class; each test arranges its own client, so tests never share rows.</summary>
public sealed class SchemaFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await Database.DisposeAsync();

    public static async Task<Client> AddClientAsync(SmsDbContext db)
    {
        var client = new Client
        {
            Name = "Acme",
            Email = "ops@acme.test",
            ApiKeyPrefix = $"sk_{Guid.NewGuid():N}"[..11],
            ApiKeyHash = new byte[32],
        };
        db.Clients.Add(client);
        await db.SaveChangesAsync();
        return client;
    }

    public static Lead NewLead(Client client, string phone) => new() { ClientId = client.Id, Phone = phone };

    public static Message NewMessage(Lead lead, Template? template = null) => new()
    {
        ClientId = lead.ClientId,
        LeadId = lead.Id,
        TemplateId = template?.Id,
        ToPhone = lead.Phone,
        Body = "Hello",
        Segments = 1,
    };
}
