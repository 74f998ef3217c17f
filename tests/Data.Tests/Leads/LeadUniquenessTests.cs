using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SmsRemarketing.Data.Tests.Leads;

public sealed class LeadUniquenessTests(SchemaFixture fixture) : IClassFixture<SchemaFixture>
{
    [Fact]
    public async Task APhoneIsUniqueWithinAClient()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        db.Leads.Add(SchemaFixture.NewLead(client, "+14155550110"));
        await db.SaveChangesAsync();

        await using var second = fixture.Database.CreateDbContext();
        second.Leads.Add(SchemaFixture.NewLead(client, "+14155550110"));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());

        var postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, postgres.SqlState);
        Assert.Equal("ix_leads_client_id_phone", postgres.ConstraintName);
    }

    [Fact]
    public async Task TwoClientsMayHoldTheSamePhone()
    {
        await using var db = fixture.Database.CreateDbContext();
        var first = await SchemaFixture.AddClientAsync(db);
        var second = await SchemaFixture.AddClientAsync(db);
        db.Leads.AddRange(SchemaFixture.NewLead(first, "+14155550111"), SchemaFixture.NewLead(second, "+14155550111"));

        await db.SaveChangesAsync();

        Assert.Equal(2, await db.Leads.CountAsync(l => l.Phone == "+14155550111"));
    }
}
