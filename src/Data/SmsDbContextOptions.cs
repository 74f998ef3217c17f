using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SmsRemarketing.Data;

/// <summary>The one place that says how every host, tool and test talks to the database.</summary>
public static class SmsDbContextOptions
{
    public static DbContextOptionsBuilder UseSmsDatabase(this DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options
            .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    public static DbContextOptionsBuilder UseSmsDatabase(this DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();
}
