using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Data.Credits;

namespace SmsRemarketing.Data.Tests.Credits;

public sealed class CreditLedgerTests(SchemaFixture fixture) : IClassFixture<SchemaFixture>
{
    private static readonly long[] Purchases = [100, 50];

    [Fact]
    public async Task TheBalanceIsTheSumOfTheLedger()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);

        foreach (var (amount, kind) in new[] { (100L, CreditTransactionKind.Purchase), (-1L, CreditTransactionKind.SmsDebit), (-1L, CreditTransactionKind.SmsDebit), (1L, CreditTransactionKind.Refund), (-40L, CreditTransactionKind.Adjustment) })
        {
            db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = amount, Kind = kind });
            await db.SaveChangesAsync();
        }

        var balance = await db.Clients.Where(c => c.Id == client.Id).Select(c => c.CreditBalance).SingleAsync();
        Assert.Equal(59, balance);
        Assert.Equal(balance, await db.CreditTransactions.Where(t => t.ClientId == client.Id).SumAsync(t => t.Amount));
    }

    [Fact]
    public async Task OneStatementOfManyRowsForSeveralClientsAddsEachClientsSumAndAnOverdrawWritesNothing()
    {
        await using var db = fixture.Database.CreateDbContext();
        var first = await SchemaFixture.AddClientAsync(db);
        var second = await SchemaFixture.AddClientAsync(db);
        // As the Dispatcher debits a claim batch: one INSERT … SELECT of many rows.
        await fixture.Database.ExecuteAsync("""
            INSERT INTO credit_transactions (client_id, amount, kind, created_at)
            SELECT c, a, 'purchase', now() FROM unnest($1::uuid[], $2::bigint[]) AS t(c, a)
            """, new[] { first.Id, second.Id }, Purchases);
        await fixture.Database.ExecuteAsync("""
            INSERT INTO credit_transactions (client_id, amount, kind, created_at)
            SELECT CASE WHEN i % 3 = 0 THEN $2 ELSE $1 END, -1, 'sms_debit', now() FROM generate_series(1, 60) i
            """, first.Id, second.Id);

        Assert.Equal(60L, await BalanceAsync(first.Id));
        Assert.Equal(30L, await BalanceAsync(second.Id));

        var overdraw = await Assert.ThrowsAsync<PostgresException>(() => fixture.Database.ExecuteAsync("""
            INSERT INTO credit_transactions (client_id, amount, kind, created_at)
            SELECT CASE WHEN i <= 10 THEN $1 ELSE $2 END, -1, 'sms_debit', now() FROM generate_series(1, 41) i
            """, first.Id, second.Id));

        Assert.Equal("ck_clients_credit_balance_not_negative", overdraw.ConstraintName);
        Assert.Equal(60L, await BalanceAsync(first.Id));
        Assert.Equal(30L, await BalanceAsync(second.Id));
        foreach (var client in new[] { first.Id, second.Id })
        {
            Assert.Equal(await BalanceAsync(client), await fixture.Database.ScalarAsync<long>(
                "SELECT sum(amount)::bigint FROM credit_transactions WHERE client_id = $1", client));
        }
    }

    private Task<long> BalanceAsync(Guid client) =>
        fixture.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", client);

    [Fact]
    public async Task ANewClientStartsAtZeroWhateverTheInsertSays()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            fixture.Database.ExecuteAsync("UPDATE clients SET credit_balance = 1000 WHERE id = $1", client.Id));
        await fixture.Database.ExecuteAsync(
            "INSERT INTO clients (id, name, email, api_key_prefix, api_key_hash, is_active, timezone, credit_balance, created_at, updated_at) VALUES ($1, 'x', 'x@x.test', $2, '\\x00', true, 'UTC', 1000, now(), now())",
            Guid.NewGuid(), $"sk_{Guid.NewGuid():N}"[..11]);

        Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, error.SqlState);
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT max(credit_balance) FROM clients WHERE name = 'x'"));
    }

    [Fact]
    public async Task ADebitBeyondTheBalanceIsRefused()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = 1, Kind = CreditTransactionKind.Purchase });
        await db.SaveChangesAsync();

        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = -2, Kind = CreditTransactionKind.SmsDebit });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Equal("ck_clients_credit_balance_not_negative", Assert.IsType<PostgresException>(error.InnerException).ConstraintName);
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", client.Id));
        Assert.Equal(1L, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM credit_transactions WHERE client_id = $1", client.Id));
    }

    [Fact]
    public async Task ConcurrentDebitsNeverOverdraw()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = 10, Kind = CreditTransactionKind.Purchase });
        await db.SaveChangesAsync();

        // 50 racers for 10 credits, each in its own connection and transaction.
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await fixture.Database.ExecuteAsync(
                    "INSERT INTO credit_transactions (client_id, amount, kind, created_at) VALUES ($1, -1, 'sms_debit', now())", client.Id);
                return true;
            }
            catch (PostgresException exception) when (exception.ConstraintName == "ck_clients_credit_balance_not_negative")
            {
                return false;
            }
        }));

        Assert.Equal(10, results.Count(debited => debited));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", client.Id));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("SELECT sum(amount)::bigint FROM credit_transactions WHERE client_id = $1", client.Id));
    }

    [Fact]
    public async Task TheLedgerIsAppendOnly()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = 5, Kind = CreditTransactionKind.Purchase });
        await db.SaveChangesAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            fixture.Database.ExecuteAsync("UPDATE credit_transactions SET amount = 500 WHERE client_id = $1", client.Id));
        var delete = await Assert.ThrowsAsync<PostgresException>(() =>
            fixture.Database.ExecuteAsync("DELETE FROM credit_transactions WHERE client_id = $1", client.Id));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.MessageText, StringComparison.Ordinal);
        Assert.Equal(5L, await fixture.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", client.Id));
    }

    [Fact]
    public async Task APurchaseReferenceIsUsedOncePerClient()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        db.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = 5, Kind = CreditTransactionKind.Purchase, Reference = "order-1" });
        await db.SaveChangesAsync();

        await using var again = fixture.Database.CreateDbContext();
        again.CreditTransactions.Add(new CreditTransaction { ClientId = client.Id, Amount = 5, Kind = CreditTransactionKind.Purchase, Reference = "order-1" });
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());

        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.Equal(5L, await fixture.Database.ScalarAsync<long>("SELECT credit_balance FROM clients WHERE id = $1", client.Id));
    }
}
