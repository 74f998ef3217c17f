using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace SmsRemarketing.Data.Tests;

public sealed class SharedSavesTests(SchemaFixture fixture) : IClassFixture<SchemaFixture>
{
    [Fact]
    public async Task ConcurrentCallersCommitTogetherAndEachTrackerIsCleared()
    {
        await using var setup = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(setup);
        var (scopes, batches) = CountingScopes();
        await using var saves = new SharedSaves(scopes);

        var contexts = Enumerable.Range(0, 40).Select(_ => fixture.Database.CreateDbContext()).ToList();
        var saving = contexts.Select((db, i) =>
        {
            db.Leads.Add(SchemaFixture.NewLead(client, $"+1415555{i:D4}"));
            return saves.SaveAsync(db, CancellationToken.None);
        }).ToList();
        await Task.WhenAll(saving);

        Assert.Equal(40, await setup.Leads.CountAsync(l => l.ClientId == client.Id));
        Assert.All(contexts, db => Assert.Empty(db.ChangeTracker.Entries()));
        Assert.InRange(batches(), 1, 39); // shared: fewer transactions than callers
        foreach (var db in contexts)
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task ACallerWhoseRowsBreakAConstraintFailsAloneAndTheOthersCommit()
    {
        await using var setup = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(setup);
        setup.Leads.Add(SchemaFixture.NewLead(client, "+14155559999"));
        await setup.SaveChangesAsync();
        var (scopes, _) = CountingScopes();
        await using var saves = new SharedSaves(scopes);

        var phones = Enumerable.Range(0, 10).Select(i => $"+1415556{i:D4}").Append("+14155559999").ToList();
        var contexts = phones.Select(_ => fixture.Database.CreateDbContext()).ToList();
        var saving = contexts.Select((db, i) =>
        {
            db.Leads.Add(SchemaFixture.NewLead(client, phones[i]));
            return saves.SaveAsync(db, CancellationToken.None);
        }).ToList();
        await Task.WhenAll(saving).ContinueWith(_ => { }, TaskScheduler.Default);

        var failed = Assert.Single(saving, save => save.IsFaulted);
        Assert.Same(saving[^1], failed);
        var error = Assert.IsType<DbUpdateException>(failed.Exception!.InnerException);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.Equal(11, await setup.Leads.CountAsync(l => l.ClientId == client.Id));
        foreach (var db in contexts)
        {
            await db.DisposeAsync();
        }
    }

    [Fact]
    public async Task AUnitOfWorkThatModifiesRowsIsRefusedAndNothingIsSaved()
    {
        await using var db = fixture.Database.CreateDbContext();
        var client = await SchemaFixture.AddClientAsync(db);
        var (scopes, batches) = CountingScopes();
        await using var saves = new SharedSaves(scopes);
        client.Name = "Renamed";
        db.Leads.Add(SchemaFixture.NewLead(client, "+14155557777"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => saves.SaveAsync(db, CancellationToken.None));

        await using var check = fixture.Database.CreateDbContext();
        Assert.Equal("Acme", (await check.Clients.SingleAsync(c => c.Id == client.Id)).Name);
        Assert.False(await check.Leads.AnyAsync(l => l.ClientId == client.Id));
        Assert.Equal(0, batches());
    }

    /// <summary>A scope factory handing out this test's database; every batch opens one scope, so scopes = batches.</summary>
    private (IServiceScopeFactory Scopes, Func<int> Batches) CountingScopes()
    {
        var count = 0;
        var services = new ServiceCollection()
            .AddScoped(_ =>
            {
                Interlocked.Increment(ref count);
                return fixture.Database.CreateDbContext();
            })
            .BuildServiceProvider();
        return (services.GetRequiredService<IServiceScopeFactory>(), () => Volatile.Read(ref count));
    }
}
