using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SmsRemarketing.Data;

public static class DatabaseExtensions
{
    private const int AutoPreparedStatements = 64;

    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> and a pooled <see cref="SmsDbContext"/> on it, with every
    /// registered EF interceptor (the outbox's among them), and a readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddSmsDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("No database configured: set ConnectionStrings__Database or DATABASE_URL.");
        }

        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(connectionString);
            var statementTimeout = services.GetRequiredService<IOptions<DatabaseOptions>>().Value.StatementTimeout;
            if (statementTimeout > TimeSpan.Zero)
            {
                // Set at connect (a startup option), so every statement of every connection of the pool is bounded.
                var milliseconds = ((long)Math.Ceiling(statementTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
                dataSource.ConnectionStringBuilder.Options = $"{dataSource.ConnectionStringBuilder.Options} -c statement_timeout={milliseconds}".Trim();
            }

            // The statements a service runs again and again (a send's look-up, the relay's claim) are parsed and
            // planned once per connection, not per call, unless the connection string says otherwise.
            if (dataSource.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
            }

            return dataSource.Build();
        });
        builder.Services.AddDbContextPool<SmsDbContext>((services, options) => options
            .UseSmsDatabase(services.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(services.GetServices<IInterceptor>()));
        builder.Services.AddSingleton(services => new SharedSaves(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("postgresql", tags: ["ready"]);
        return builder;
    }
}
