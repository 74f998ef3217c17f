using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using SmsRemarketing.Data;
using SmsRemarketing.ServiceDefaults;

// Applies the EF Core migrations to the database of ConnectionStrings__Database (or DATABASE_URL), creating the
// database when it does not exist. Services never migrate on their own at start-up: this runs once, first.
var configuration = new ConfigurationManager();
configuration.AddEnvironmentVariables();
configuration.AddCommandLine(args);
configuration.AddWellKnownEnvironmentVariables();

var connectionString = configuration.GetConnectionString("Database");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("error: set ConnectionStrings__Database or DATABASE_URL");
    return 2;
}

var options = new DbContextOptionsBuilder<SmsDbContext>();
options.UseSmsDatabase(connectionString);
await using var db = new SmsDbContext(options.Options);
try
{
    var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
    await db.Database.MigrateAsync();
    Console.WriteLine(pending.Count == 0
        ? "Database is up to date."
        : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
    return 0;
}
catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: migration failed: {exception.Message}");
    return 1;
}
