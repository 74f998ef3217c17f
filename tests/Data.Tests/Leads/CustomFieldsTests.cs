using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SmsRemarketing.Data.Tests.Leads;

public sealed class CustomFieldsTests(SchemaFixture fixture) : IClassFixture<SchemaFixture>
{
    [Fact]
    public async Task CustomFieldsRoundTripAsJson()
    {
        const string json = """
            {"plan":"gold","visits":12,"ratio":0.25,"vip":true,"note":null,"tags":["a","b"],
             "nested":{"city":"Zürich","emoji":"🎉"},"sql":"'; DROP TABLE leads; --"}
            """;
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var lead = SchemaFixture.NewLead(client, "+14155550120");
        lead.CustomFields = JsonDocument.Parse(json).RootElement;
        db.Leads.Add(lead);
        await db.SaveChangesAsync();

        await using var reader = fixture.Database.CreateDbContext();
        var stored = await reader.Leads.AsNoTracking().SingleAsync(l => l.Id == lead.Id);

        Assert.Equal("gold", stored.CustomFields.GetProperty("plan").GetString());
        Assert.Equal(12, stored.CustomFields.GetProperty("visits").GetInt32());
        Assert.Equal(0.25, stored.CustomFields.GetProperty("ratio").GetDouble());
        Assert.True(stored.CustomFields.GetProperty("vip").GetBoolean());
        Assert.Equal(JsonValueKind.Null, stored.CustomFields.GetProperty("note").ValueKind);
        Assert.Equal(["a", "b"], stored.CustomFields.GetProperty("tags").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Zürich", stored.CustomFields.GetProperty("nested").GetProperty("city").GetString());
        Assert.Equal("🎉", stored.CustomFields.GetProperty("nested").GetProperty("emoji").GetString());
        Assert.Equal("'; DROP TABLE leads; --", stored.CustomFields.GetProperty("sql").GetString());
        Assert.True(await reader.Leads.AnyAsync(), "the leads table survived the SQL-looking value");
    }

    [Fact]
    public async Task ALeadWithoutCustomFieldsHasAnEmptyObject()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var lead = SchemaFixture.NewLead(client, "+14155550121");
        db.Leads.Add(lead);
        await db.SaveChangesAsync();

        var stored = await fixture.Database.ScalarAsync<string>("SELECT custom_fields::text FROM leads WHERE id = $1", lead.Id);

        Assert.Equal("{}", stored);
    }

    [Fact]
    public async Task CustomFieldsMustBeAnObject()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);

        var error = await Assert.ThrowsAsync<PostgresException>(() => fixture.Database.ExecuteAsync(
            "INSERT INTO leads (id, client_id, phone, custom_fields, created_at, updated_at) VALUES ($1, $2, '+14155550122', '[1,2]', now(), now())",
            Guid.NewGuid(), client.Id));

        Assert.Equal("ck_leads_custom_fields_object", error.ConstraintName);
    }
}
