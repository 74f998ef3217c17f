using Microsoft.EntityFrameworkCore;
using Npgsql;
using SmsRemarketing.Data;

namespace SmsRemarketing.Testing;

/// <summary>
/// A fresh, migrated PostgreSQL database of its own for one test (or fixture), dropped on dispose. The schema is
/// migrated once per test process into a template; each database is a cheap copy of it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);
    private static int _counter;

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name { get; }
    public string ConnectionString { get; }

    /// <summary>For the test's own SQL: arranging rows and asserting on them.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var template = await Template.Value;
        var name = $"{TestEnvironment.RunPrefix}_{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}";
        name = name[..Math.Min(name.Length, 63)]; // PostgreSQL's identifier limit
        await CreateLock.WaitAsync();
        try
        {
            // PostgreSQL copies a template only while nobody else uses it, so copies are made one at a time.
            await ExecuteAdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        }
        finally
        {
            CreateLock.Release();
        }

        return new TestDatabase(name, ConnectionStringFor(name));
    }

    public SmsDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<SmsDbContext>();
        options.UseSmsDatabase(ConnectionString);
        return new SmsDbContext(options.Options);
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>
    /// Opts the number of <paramref name="leadId"/> out (as the client did through the Api), at <paramref name="at"/> or
    /// now: the number's consent, which the database copies onto the lead.
    /// </summary>
    public Task<int> OptOutLeadAsync(Guid leadId, DateTimeOffset? at = null) => ExecuteAsync("""
        INSERT INTO phone_consents (client_id, phone, opted_out_at, opt_out_source, updated_at)
        SELECT client_id, phone, $2, 'api', $2 FROM leads WHERE id = $1
        ON CONFLICT (client_id, phone) DO UPDATE SET opted_out_at = excluded.opted_out_at, opt_out_source = excluded.opt_out_source
        """, leadId, at ?? DateTimeOffset.UtcNow);

    public async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task<string> CreateTemplateAsync()
    {
        // Test projects of one run are separate processes: each migrates its own template.
        var name = $"{TestEnvironment.RunPrefix}_{Environment.ProcessId}_template";
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionStringFor(name)) { Pooling = false }.ConnectionString;
        var options = new DbContextOptionsBuilder<SmsDbContext>();
        options.UseSmsDatabase(connectionString);
        await using (var db = new SmsDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
        }

        return name;
    }

    private static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnectionString)
        {
            Database = database,
            MaxPoolSize = 50,
        }.ConnectionString;

    private static async Task ExecuteAdminAsync(string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresAdminConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
