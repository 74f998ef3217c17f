using Microsoft.EntityFrameworkCore;
using SmsRemarketing.Data.Credits;
using SmsRemarketing.Data.Templates;
using SmsRemarketing.Data.Triggers;

namespace SmsRemarketing.Data.Tests;

public sealed class CascadeDeleteTests(SchemaFixture fixture) : IClassFixture<SchemaFixture>
{
    [Fact]
    public async Task DeletingAClientDeletesEverythingItOwns()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var lead = SchemaFixture.NewLead(client, "+14155550100");
        var template = new Template { ClientId = client.Id, Name = "welcome", Body = "Hi {{first_name}}" };
        db.AddRange(lead, template);
        db.Triggers.Add(new Trigger { ClientId = client.Id, Name = "t", Type = TriggerType.NewLead, TemplateId = template.Id });
        var message = SchemaFixture.NewMessage(lead, template);
        db.Messages.Add(message);
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = 5, Kind = CreditTransactionKind.Purchase });
        await db.SaveChangesAsync();
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = -1, Kind = CreditTransactionKind.SmsDebit, MessageId = message.Id });
        await db.SaveChangesAsync();

        await db.Clients.Where(c => c.Id == client.Id).ExecuteDeleteAsync();

        Assert.Equal(0, await db.Leads.CountAsync(l => l.ClientId == client.Id));
        Assert.Equal(0, await db.Templates.CountAsync(t => t.ClientId == client.Id));
        Assert.Equal(0, await db.Triggers.CountAsync(t => t.ClientId == client.Id));
        Assert.Equal(0, await db.Messages.CountAsync(m => m.ClientId == client.Id));
        Assert.Equal(0, await db.CreditTransactions.CountAsync(t => t.ClientId == client.Id));
    }

    [Fact]
    public async Task DeletingALeadDeletesItsMessagesButKeepsTheLedgerBalanced()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var lead = SchemaFixture.NewLead(client, "+14155550101");
        var message = SchemaFixture.NewMessage(lead);
        db.AddRange(lead, message);
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = 3, Kind = CreditTransactionKind.Purchase });
        await db.SaveChangesAsync();
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = -1, Kind = CreditTransactionKind.SmsDebit, MessageId = message.Id });
        await db.SaveChangesAsync();

        await db.Leads.Where(l => l.Id == lead.Id).ExecuteDeleteAsync();

        Assert.False(await db.Messages.AnyAsync(m => m.Id == message.Id));
        var debit = await db.CreditTransactions.AsNoTracking().SingleAsync(t => t.ClientId == client.Id && t.Kind == CreditTransactionKind.SmsDebit);
        Assert.Null(debit.MessageId);
        var balance = await db.Clients.Where(c => c.Id == client.Id).Select(c => c.CreditBalance).SingleAsync();
        Assert.Equal(2, balance);
        Assert.Equal(balance, await db.CreditTransactions.Where(t => t.ClientId == client.Id).SumAsync(t => t.Amount));
    }

    [Fact]
    public async Task DeletingATemplateKeepsTheMessagesSentFromIt()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var lead = SchemaFixture.NewLead(client, "+14155550102");
        var template = new Template { ClientId = client.Id, Name = "promo", Body = "Sale!" };
        var message = SchemaFixture.NewMessage(lead, template);
        db.AddRange(lead, template, message);
        await db.SaveChangesAsync();

        await db.Templates.Where(t => t.Id == template.Id).ExecuteDeleteAsync();

        var kept = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == message.Id);
        Assert.Null(kept.TemplateId);
        Assert.Equal("Hello", kept.Body);
    }
}
